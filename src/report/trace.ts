/**
 * `PRESS_TRACE=1`: one line on stderr per step of the build, with the milliseconds since Press
 * started, to see where a build's time goes (BENCHMARKS.md). Silent and free otherwise.
 */
const enabled = Boolean(process.env.PRESS_TRACE);

export function trace(event: string, subject = ""): void {
  if (enabled) process.stderr.write(`trace ${Math.round(performance.now())} ${event} ${subject}\n`);
}
