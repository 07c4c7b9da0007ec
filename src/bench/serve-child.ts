/** Tells the parent bench where this server listens, and stops when the parent says so or goes away. */
export function serveUntilParentLeaves(url: string, stop: () => Promise<void>): void {
  let stopping = false;
  const leave = () => {
    if (stopping) return;
    stopping = true;
    stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('message', (msg) => msg === 'stop' && leave());
  process.on('disconnect', leave);
  process.send!({ url });
}
