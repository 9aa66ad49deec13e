import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Session } from './session.entity';

/**
 * One link of a session's refresh chain. The token itself is never stored:
 * only its SHA-256. `successorSealed` holds the next token encrypted with a key
 * derived from *this* token, so a tab racing inside the grace window can be
 * given the same successor without the database ever holding a usable token.
 */
@Entity('refresh_tokens')
// One live (not yet rotated) token per session: a session never has two chains.
@Index('UQ_refresh_tokens_live_per_session', ['sessionId'], { unique: true, where: '"rotated_at" IS NULL' })
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: Session;

  @Column({ type: 'bytea', unique: true })
  tokenHash: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Set once, atomically, when this token is exchanged. */
  @Column({ type: 'timestamptz', nullable: true })
  rotatedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  successorId: string | null;

  @Column({ type: 'bytea', nullable: true })
  successorSealed: Buffer | null;
}
