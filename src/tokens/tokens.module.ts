import { Module } from '@nestjs/common';
import { AccessTokenService } from './access-token.service';
import { JwksController } from './jwks.controller';
import { KeyRing } from './key-ring';
import { TokenCodec } from './token-codec';

/**
 * Every JWT the service signs or verifies goes through TokenCodec, with the keys of
 * KeyRing; AccessTokenService is what bearer tokens say. The JWKS publishes the ring's
 * public keys.
 */
@Module({
  controllers: [JwksController],
  providers: [KeyRing, TokenCodec, AccessTokenService],
  exports: [KeyRing, TokenCodec, AccessTokenService],
})
export class TokensModule {}
