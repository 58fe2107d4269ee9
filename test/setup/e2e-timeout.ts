// e2e specs start processes, nodes and servers: their default timeout is sized for that on a busy 2-core
// machine, far above jest's 5 s. A spec that does more sets its own timeout.
jest.setTimeout(120_000);
