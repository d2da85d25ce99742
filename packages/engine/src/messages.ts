// Every message the engine shows a user, in one place: tests assert on these, and wording stays consistent.
const hint = (suggestion: string | undefined) => (suggestion ? ` (did you mean ${suggestion}?)` : '');

export const msg = {
  // params.yaml
  paramsMissing: (path: string) => `cannot read ${path}: create it with a \`params:\` mapping (and optional \`profiles:\`)`,
  paramsYamlSyntax: (path: string, detail: string) => `${path} is not valid YAML: ${detail}`,
  paramsShape: (path: string, detail: string) => `${path}: ${detail}`,
  unknownProfile: (name: string, known: readonly string[]) =>
    `unknown profile "${name}"; profiles in params.yaml: ${known.join(', ') || '(none)'}`,
  profileUnknownParam: (path: string, profile: string, param: string, suggestion?: string) =>
    `${path}: profile ${profile} sets ${param}, which is not a parameter in \`params:\`${hint(suggestion)}; add it to \`params:\` first`,
  badSet: (arg: string) => `--set ${arg}: write KEY=VALUE with a dotted key, e.g. --set train.lr=0.01`,
  badSetValue: (arg: string, detail: string) => `--set ${arg}: the value is not valid YAML (${detail}); quote it, e.g. --set 'key="a: b"'`,
  setUnknownParam: (key: string, close: readonly string[], parent: string, siblings: readonly string[]) =>
    `--set ${key}: params.yaml has no param ${key}` +
    (close.length ? `; close names: ${close.join(', ')}` : siblings.length ? `; ${parent ? `params under ${parent}` : 'top-level params'}: ${siblings.join(', ')}` : `; ${parent} is not a mapping of params`),
  setWrongShape: (key: string, expected: string) => `--set ${key}: the profile's ${key} is a ${expected}; set it to a ${expected}`,
  badExperimentName: (name: string) => `experiment name "${name}" may only use letters, digits, '.', '-', '_' and '@'`,
  unknownExperiment: (name: string, known: readonly string[]) =>
    `no experiment named ${name}; recorded experiments: ${known.join(', ') || '(none)'}. Start one with \`vthinker run --set KEY=VALUE --name ${name}\``,
  undeclaredParamRead: (stage: string, key: string) =>
    `stage ${stage} reads param ${key} without declaring it: add '${key}' to the stage's params so it enters the key`,
  paramNotFound: (stage: string, key: string, suggestion?: string) =>
    `stage ${stage} declares param ${key}, which params.yaml does not define${hint(suggestion)}`,

  // the graph
  duplicateStage: (name: string) => `two stages are named ${name}: stage names must be unique`,
  badStageName: (name: string) => `stage name "${name}" may only use letters, digits, '-', '_' and '@'`,
  unknownInputStage: (stage: string, input: string, upstream: string, suggestion?: string) =>
    `stage ${stage} input ${input} reads from stage ${upstream}, which does not exist${hint(suggestion)}`,
  unknownInputOutput: (stage: string, input: string, upstream: string, output: string, outputs: readonly string[]) =>
    `stage ${stage} input ${input} reads output ${output} of ${upstream}, which only has: ${outputs.join(', ')}`,
  cycle: (path: readonly string[]) => `the stages form a cycle: ${path.join(' -> ')}; a stage cannot depend on its own output`,
  noOutputs: (stage: string) => `stage ${stage} declares no outputs: every stage must produce something to cache`,
  unknownStage: (name: string, suggestion?: string) => `no stage named ${name}${hint(suggestion)}; \`vthinker dag\` lists them`,
  badOutputPath: (stage: string, output: string, path: string) =>
    `stage ${stage} output ${output} has path "${path}": use a plain relative name without '..'`,
  badDataPath: (stage: string, input: string, path: string) =>
    `stage ${stage} input ${input} reads "${path}": a data input is a path inside the project, relative to its root, without '..'`,
  dataMissing: (stage: string, input: string, path: string) =>
    `stage ${stage} input ${input} reads ${path}, which does not exist: create it, or fix the path in the stage's inputs`,
  dataWrongKind: (stage: string, input: string, path: string, expected: string) =>
    `stage ${stage} input ${input} reads ${path}, which is not a ${expected}: declare it with ${expected === 'folder' ? "dir('...')" : "file('...')"}`,
  pipelineMissing: (path: string) => `cannot load ${path}: the project root needs a pipeline.ts whose default export is pipeline({...})`,
  pipelineShape: (path: string) => `${path} must \`export default pipeline({ name, stages: [...] })\``,

  // running
  outputMissing: (stage: string, output: string, path: string) =>
    `stage ${stage} finished without writing its output ${output} (${path}); write it via ctx.output('${output}')`,
  outputWrongKind: (stage: string, output: string, expected: string) => `stage ${stage} output ${output} must be a ${expected}`,
  inputChangedDuringRun: (stage: string, input: string) =>
    `input ${input} of stage ${stage} changed while the stage ran (another run re-wrote it?): result not cached; run again`,
  stageFailed: (stage: string, detail: string) => `stage ${stage} failed: ${detail}`,
  stageKilled: (stage: string, signal: string) => `stage ${stage} was killed by ${signal}; nothing was published`,
  runStopped: () => 'the run stopped after a failure (use --keep-going to continue independent branches)',
  upstreamFailed: (stage: string, upstream: string) => `skipped ${stage}: upstream ${upstream} did not complete`,
  waitingForLock: (stage: string, holder: string) => `waiting for ${stage}: ${holder} is running it`,
  staleLockRecovered: (what: string, holder: string) => `recovered a stale lock on ${what} left by ${holder}`,
  gpuUnavailable: (stage: string, wanted: number, have: number) =>
    `stage ${stage} needs ${wanted} GPU(s) but this machine has ${have}: run it on a GPU worker (--executor queue with \`vthinker worker --queues gpu\`) or declare gpu: 'optional'`,
  commandFailed: (stage: string, code: number | null) => `command of stage ${stage} exited with code ${code}`,
  jobAdopted: (stage: string, id: string, state: string) =>
    `adopted job ${id} for ${stage} (${state}), submitted by an earlier run: not submitting it again`,

  // the queue executor and workers
  redisUnreachable: (url: string, detail: string) =>
    `cannot reach Redis at ${url} (${detail}). Start one: \`apt-get install redis-server; redis-server --port 6379 --daemonize yes\` ` +
    `(or \`service redis-server start\`), or point --redis / VTHINKER_REDIS_URL at yours`,
  queueWaiting: (stage: string, queue: string) => `${stage} is queued on ${queue}: waiting for a worker that serves it (vthinker worker --queues ${queue})`,
  workerRefused: (worker: string, stage: string, reason: string) => `worker ${worker} refused stage ${stage}: ${reason}`,
  workerNoGpu: (queues: string) =>
    `this machine offers no GPU (set VTHINKER_GPUS=N, or let the pipeline's workerFacts() report gpus), but --queues lists ${queues}`,
  workerKeyMismatch: (stage: string, reasons: readonly string[]) =>
    `the worker computes a different key for ${stage} (its code, packages or runtime differ from the coordinator's): ${reasons.join('; ') || 'pre-image differs'}`,
  workerInputMissing: (stage: string, input: string, digest: string) =>
    `input ${input} of ${stage} (${digest}) is not in the shared store this worker sees: is artifacts/store the same shared folder on every machine?`,
  outputNotInStore: (stage: string, output: string, digest: string, store: string) =>
    `stage ${stage} finished but its output ${output} (${digest}) is not in ${store}: do the coordinator and the workers share one store folder?`,
  stageLost: (stage: string, detail: string) => `stage ${stage}: its worker was lost and retries are used up (${detail}); nothing was published`,

  // explain / status reasons
  reasonNew: () => 'never run in this profile',
  reasonOutputsGone: () => 'outputs are missing from the store',
  reasonStoreDiffers: (outputs: readonly string[]) =>
    `the store holds other bytes for this key than the lock records (${outputs.join(', ')}; made on another machine?): the lock will record the store's`,
  reproduced: () => "reproduced the lock's outputs bit for bit",
  notReproduced: (outputs: readonly string[]) =>
    `same key, other bytes than the lock records (${outputs.join(', ')}): not bit-reproducible on this machine (floating point that differs across CPUs, or a nondeterministic step); the lock now records these`,
  reasonParam: (key: string, before: string, after: string) => `params ${key} ${before} -> ${after}`,
  reasonCodeChanged: (file: string) => `code ${file} changed`,
  reasonCodeAdded: (file: string) => `code ${file} is newly imported`,
  reasonCodeRemoved: (file: string) => `code ${file} is no longer imported`,
  reasonPackage: (name: string, before: string, after: string) => `package ${name} ${before} -> ${after}`,
  reasonData: (path: string) => `data ${path} changed`,
  reasonDataAdded: (path: string) => `data ${path} is newly read`,
  reasonDataRemoved: (path: string) => `data ${path} is no longer read`,
  reasonUpstream: (input: string, upstream: string) => `upstream ${upstream} output changed (input ${input})`,
  reasonUpstreamPending: (upstream: string) => `upstream ${upstream} will run first (may cut off if its outputs come out the same)`,
  reasonRuntime: (fact: string, before: string, after: string) => `runtime ${fact} ${before} -> ${after}`,
  reasonEnv: (name: string) => `environment ${name} changed`,
  reasonDefinition: (detail: string) => `stage definition changed: ${detail}`,
  reasonWorkspaceDeleted: (path: string) => `workspace ${path} was deleted: \`vthinker run\` restores it from the store`,
  reasonWorkspaceModified: (path: string) => `workspace ${path} was modified: \`vthinker run\` restores it from the store`,
  reasonForced: () => 'forced with --force',
  reasonKeyOnly: () => 'key changed (pre-image fields differ)',

  // comparing locks
  unknownLockRef: (ref: string, locks: readonly string[]) =>
    `${ref} is not a lock file, a profile or experiment with a lock (${locks.join(', ') || 'none yet'}), nor a git revision`,
  lockNotAtRevision: (rev: string, path: string) => `${path} does not exist at ${rev} (\`git show ${rev}:${path}\` failed)`,

  // store
  gcRefusedBusy: (holder: string) => `gc refused: ${holder} is running a stage; try again when it finishes`,
  corruptRecord: (path: string) => `ignoring unreadable run record ${path} (it will be recomputed)`,
  lockfileUnreadable: (path: string, detail: string) =>
    `cannot read lock file ${path}: ${detail}. Fix or delete it (deleting makes every stage look new; cached outputs are still reused)`,

  // notebook API
  noSuchOutput: (stage: string, output: string, profile: string) =>
    `stage ${stage} has no output ${output} in profile ${profile}'s lock file: run \`npx vthinker run --profile ${profile} --until ${stage}\` first`,
  blobMissing: (digest: string) => `blob ${digest} is not in the store: run the pipeline to recreate it`,
} as const;
