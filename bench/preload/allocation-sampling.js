'use strict';
// `npm run bench -- --alloc-profile` starts each throughput variant with this preloaded: every
// byte allocated between the two SIGUSR2s is sampled, collected objects included.
require('./allocation-sampler').sampleOnSignal({ keepScavenged: true });
