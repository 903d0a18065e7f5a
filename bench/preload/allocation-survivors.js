'use strict';
// `npm run bench -- --alloc-survivors` starts each throughput variant with this preloaded: only
// what outlives a scavenge is sampled (objects a full collection frees still count), so the
// profile shows what the young generation copies and promotes, and where it was allocated.
require('./allocation-sampler').sampleOnSignal({ keepScavenged: false });
