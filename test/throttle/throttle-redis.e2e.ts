import { throttleSuite } from './throttle-suite';

// Against the Redis at 127.0.0.1:6379 (TEST_REDIS_URL), under a key prefix of this run's own.
throttleSuite('redis');
