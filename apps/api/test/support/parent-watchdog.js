// Preloaded (node --require) into keypool processes started by the e2e harness: when the test process
// dies without cleaning up (killed worker, SIGKILL), the child is re-parented; it then stops itself
// instead of lingering on the machine.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) {
    process.kill(process.pid, 'SIGTERM');
  }
}, 1000).unref();
