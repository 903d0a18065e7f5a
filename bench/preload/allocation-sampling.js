'use strict';
// `npm run bench -- --alloc-profile` starts each throughput variant with this preloaded. The
// first SIGUSR2 (sent when the variant is in its group) starts V8's sampling heap profiler with
// collected objects kept in the samples, so the profile counts every byte allocated, not only
// what is still alive; the second (sent when the stream has drained) stops it and writes
// <tmpdir>/sekimori-alloc-<pid>.heapprofile, which the harness reads. Nothing else changes.
const { Session } = require('node:inspector');
const { writeFileSync, renameSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const SAMPLING_INTERVAL_BYTES = 32 * 1024;
const session = new Session();
let sampling = false;

process.on('SIGUSR2', () => {
  if (!sampling) {
    session.connect();
    session.post('HeapProfiler.enable');
    session.post('HeapProfiler.startSampling', {
      samplingInterval: SAMPLING_INTERVAL_BYTES,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    sampling = true;
    return;
  }
  sampling = false;
  session.post('HeapProfiler.stopSampling', (error, result) => {
    session.disconnect();
    if (error) return;
    const path = join(tmpdir(), `sekimori-alloc-${process.pid}.heapprofile`);
    // Written whole, then renamed: the harness never reads half a file.
    writeFileSync(`${path}.partial`, JSON.stringify(result.profile));
    renameSync(`${path}.partial`, path);
  });
});
