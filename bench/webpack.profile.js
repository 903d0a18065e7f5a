// `npm run bench -- --profile` builds with this: the default bundle plus `output.pathinfo`, whose
// per-module banners (comments only, the code is the same) let bench/src/cpu-profile.ts map a
// profiled line of dist/.../main.js back to its source module.
module.exports = (options) => ({
  ...options,
  output: { ...options.output, pathinfo: true },
});
