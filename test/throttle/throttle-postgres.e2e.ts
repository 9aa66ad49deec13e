import { throttleSuite } from './throttle-suite';

throttleSuite('postgres');
