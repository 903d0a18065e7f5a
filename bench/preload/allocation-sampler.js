'use strict';
// The sampler behind the allocation preloads (allocation-sampling.js, allocation-survivors.js):
// the first SIGUSR2 (sent when the variant is in its group) starts V8's sampling heap profiler;
// the second (sent when the stream has drained) stops it and writes
// <tmpdir>/sekimori-alloc-<pid>.heapprofile, which the harness reads. Nothing else changes.
const { Session } = require('node:inspector');
const { writeFileSync, renameSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const SAMPLING_INTERVAL_BYTES = 32 * 1024;

/**
 * `keepScavenged`: whether samples of objects a scavenge frees stay in the profile. With them it
 * counts every byte allocated; without them, only what outlived the young generation, which is
 * what the scavenger copies and promotes.
 */
function sampleOnSignal({ keepScavenged }) {
  const session = new Session();
  let sampling = false;
  process.on('SIGUSR2', () => {
    if (!sampling) {
      session.connect();
      session.post('HeapProfiler.enable');
      session.post('HeapProfiler.startSampling', {
        samplingInterval: SAMPLING_INTERVAL_BYTES,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: keepScavenged,
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
}

module.exports = { sampleOnSignal };
