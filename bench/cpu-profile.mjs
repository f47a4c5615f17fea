// Preloaded into a bench server (NODE_OPTIONS=--import, which refuses --cpu-prof itself): profiles
// the whole process and writes <BENCH_CPU_PROF>/<pid>.cpuprofile as it exits.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const session = new Session();
session.connect();
session.post('Profiler.setSamplingInterval', { interval: 200 });
session.post('Profiler.enable');
session.post('Profiler.start');
process.on('exit', () => {
  // An in-process session answers synchronously, so the profile is written before the process ends.
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(join(process.env.BENCH_CPU_PROF ?? '.', `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
