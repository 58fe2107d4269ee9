// Unit specs run in one process with no I/O to speak of, but scrypt and key derivation take CPU: on a busy
// 2-core machine jest's 5 s default is too tight. A spec that does more sets its own timeout.
jest.setTimeout(30_000);
