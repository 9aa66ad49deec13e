import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PublicJwkResponse {
  @ApiProperty({ example: 'Zg2Qy1l6q0mV3rPzR0hH8T8c9mQ5bY2wJc7nJ4mM1aE', description: 'Names the key in a token header\'s `kid`.' })
  kid!: string;

  @ApiProperty({ enum: ['OKP', 'EC', 'RSA'], example: 'OKP' })
  kty!: string;

  @ApiProperty({ enum: ['EdDSA', 'ES256', 'RS256'], example: 'EdDSA' })
  alg!: string;

  @ApiProperty({ enum: ['sig'], example: 'sig' })
  use!: 'sig';

  @ApiPropertyOptional({ enum: ['Ed25519', 'P-256'], example: 'Ed25519', description: 'OKP and EC keys.' })
  crv?: string;

  @ApiPropertyOptional({ example: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', description: 'OKP and EC keys (base64url).' })
  x?: string;

  @ApiPropertyOptional({ description: 'EC keys (base64url).' })
  y?: string;

  @ApiPropertyOptional({ description: 'RSA keys: the modulus (base64url).' })
  n?: string;

  @ApiPropertyOptional({ example: 'AQAB', description: 'RSA keys: the public exponent (base64url).' })
  e?: string;
}

export class JwksResponse {
  @ApiProperty({ type: [PublicJwkResponse], description: 'Empty when tokens are signed with HS256.' })
  keys!: object[];
}
