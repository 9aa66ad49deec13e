import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { decodeJwt, login, refreshUrl } from '../auth/auth-helpers';

const SESSIONS = 8;
const RACERS_PER_SESSION = 4;
const CRASHES = 3;

interface Chain {
  sid: string;
  /** The newest refresh token this client has been given. */
  latest: string;
}

/**
 * kill -9 of an instance while it rotates many refresh tokens. Rotation is one
 * statement (conditional UPDATE of the old token + INSERT of its successor, in
 * one CTE, src/sessions/refresh.service.ts), so a crash can lose a
 * response but never leave half an exchange: the database never holds two live
 * links for a session, and the client's last token, presented to another
 * instance within the grace window, still leads to the one live link.
 */
describe('a crash in the middle of rotations', () => {
  let t: TestApp;
  let requests = 0;

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  /** Per session: links never rotated of a session not ended, links rotated to a successor that does not exist, chain tips. */
  async function chainState(sid: string): Promise<{ live: number; dangling: number; tips: number }> {
    const [row] = await t.db.query<{ live: number; dangling: number; tips: number }[]>(
      `SELECT
         count(*) FILTER (WHERE rt.rotated_at IS NULL AND s.ended_at IS NULL)::int AS live,
         count(*) FILTER (WHERE rt.rotated_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM refresh_tokens n WHERE n.id = rt.successor_id))::int AS dangling,
         count(*) FILTER (WHERE rt.rotated_at IS NULL)::int AS tips
         FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
        WHERE rt.session_id = $1`,
      [sid],
    );
    return row;
  }

  it(`never leaves two live chains after ${CRASHES} kill -9 of an instance serving ${SESSIONS * RACERS_PER_SESSION} racing refreshers`, async () => {
    const org = await createOrganization(t.db);
    const chains: Chain[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const email = (await createUser(t.db, org, { email: `crash${i}@acme.example` })).email;
      const res = await login(t, email, PASSWORD);
      chains.push({ sid: decodeJwt(res.body.token).payload.sid, latest: res.body.refreshToken });
    }
    const statuses: Record<string, number> = {};

    for (let crash = 0; crash < CRASHES; crash++) {
      const victim: AppProcess = await startAppProcess(t.config);
      let dead = false;
      // Per session, rounds of racers presenting the same token at once, as tabs racing inside the grace window.
      const racers = async (chain: Chain): Promise<void> => {
        while (!dead) {
          requests += RACERS_PER_SESSION;
          const answers = await Promise.all(
            Array.from({ length: RACERS_PER_SESSION }, () =>
              post(refreshUrl(victim), { refreshToken: chain.latest }).then(
                (res) => ({ status: String(res.status), token: res.status === 200 ? (res.body.refreshToken as string) : undefined }),
                () => ({ status: 'lost', token: undefined }),
              ),
            ),
          );
          for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
          assert.ok(answers.every((a) => a.status === '200' || a.status === 'lost'), JSON.stringify(answers.map((a) => a.status)));
          const tokens = new Set(answers.flatMap((a) => (a.token ? [a.token] : [])));
          assert.ok(tokens.size <= 1, 'every racer is given the same successor');
          const [successor] = tokens;
          if (successor) chain.latest = successor;
        }
      };
      const load = Promise.all(chains.map((chain) => racers(chain)));
      // Let the rotations run a while, at a moment that differs each round.
      await sleep(400 + crash * 170);
      dead = true;
      const exit = await victim.kill('SIGKILL');
      await load;
      assert.equal(exit.signal, 'SIGKILL');

      for (const chain of chains) {
        const state = await chainState(chain.sid);
        assert.deepEqual(state, { live: 1, dangling: 0, tips: 1 }, `session ${chain.sid}: one live link, no half exchange`);
        // The client's newest token, on the surviving instance (inside the grace window if the crash ate its answer).
        const next = await post(refreshUrl(t), { refreshToken: chain.latest });
        requests += 1;
        assert.equal(next.status, 200, `the chain goes on after the crash: ${next.text}`);
        chain.latest = next.body.refreshToken;
        assert.deepEqual(await chainState(chain.sid), { live: 1, dangling: 0, tips: 1 });
      }
    }
    console.log(`# crash during rotation: ${CRASHES} × kill -9, ${requests} refreshes of ${SESSIONS} sessions → ${JSON.stringify(statuses)}; every session kept exactly one live link`);
  });
});
