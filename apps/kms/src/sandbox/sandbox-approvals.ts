import { LoopbackServer } from './loopback-server';

/** What the approval server answered for one pending id. */
export type ApprovalVerdict = 'approved' | 'denied';

/**
 * The sandbox's embedded four-eye server on 127.0.0.1, speaking tatum-kms's protocol (GET or POST
 * `{externalUrl}/{id}`; 2xx approves, anything else denies): it approves every pending id except the
 * ones it is told to deny (403), and records each verdict.
 */
export class SandboxApprovals {
  /** The verdict given for each pending id asked about. */
  readonly verdicts = new Map<string, ApprovalVerdict>();

  private constructor(
    private readonly server: LoopbackServer,
    private readonly denied: Set<string>,
  ) {}

  static async start(denied: Iterable<string>): Promise<SandboxApprovals> {
    const holder: { self?: SandboxApprovals } = {};
    const server = await LoopbackServer.start(({ path }) => {
      const id = decodeURIComponent(path.slice(1));
      const verdict: ApprovalVerdict = holder.self!.denied.has(id) ? 'denied' : 'approved';
      holder.self!.verdicts.set(id, verdict);
      return verdict === 'approved' ? { status: 200, body: {} } : { status: 403, body: { approved: false } };
    });
    holder.self = new SandboxApprovals(server, new Set(denied));
    return holder.self;
  }

  /** The URL for `--externalUrl`. */
  get url(): string {
    return this.server.url;
  }

  /** Pending ids to deny from now on. */
  deny(ids: Iterable<string>): void {
    for (const id of ids) this.denied.add(id);
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
