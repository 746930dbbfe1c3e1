/**
 * JACK2's client library (1.9.22, Debian) corrupts its heap for a server name of 24, 40 or 56 characters —
 * a length ≥ 24 with length mod 16 = 8: `jack_lsp -s <such a name>` dies with glibc's "malloc assertion failure in
 * sysmalloc" while the server itself runs, so a rig waiting for it sees a server that never answers (measured
 * on this machine for every length 8…34 and 40, 48, 56, 60: only 24, 40 and 56 fail). Test servers named
 * `studio-rig-test-<what>-<pid>` hit it whenever the pid's digits made 24: a test that failed or passed by pid.
 */
export function jackServerNameProblem(name: string): string | undefined {
  return name.length >= 24 && name.length % 16 === 8
    ? `a JACK server name of ${name.length} characters crashes JACK's client library (24, 40 or 56 characters do: length mod 16 = 8); add or remove a character`
    : undefined;
}

/** A test's own server name, `studio-rig-test-<what>-<pid>`, one character longer where that length would crash JACK's clients. */
export function testServerName(what: string): string {
  const name = `studio-rig-test-${what}-${process.pid}`;
  return jackServerNameProblem(name) ? `${name}x` : name;
}
