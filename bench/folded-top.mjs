// Summary of a folded-stack profile (async-profiler "collapsed" output): self time per frame,
// inclusive time per frame, and inclusive time of a few groups that matter for the gateway.
// Usage: node bench/folded-top.mjs FILE.collapsed [TOP=30]
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const top = +(process.argv[3] ?? 30);
const self = new Map();
const incl = new Map();
const groups = {
    'SigV4 signing (auth.signer / http.auth.aws)': /awssdk\/(auth\/signer|http\/auth\/aws)/,
    'endpoint resolution (endpoints / rules)': /awssdk\/services\/bedrockruntime\/endpoints|awssdk\/core\/internal\/interceptor\/.*Endpoint|rules/i,
    'SDK request pipeline (core.internal.http)': /awssdk\/core\/internal\/http\//,
    'SDK JSON marshalling (protocols.json)': /awssdk\/protocols\/json/,
    'SDK event stream (eventstream)': /eventstream/i,
    'SDK interceptors': /ExecutionInterceptorChain/,
    'Jackson': /com\/fasterxml\/jackson/,
    'Netty (all)': /^io\/netty/,
    'Vert.x': /^io\/vertx/,
    'gateway: api': /io\/github\/bedrockgateway\/api\//,
    'gateway: translate': /io\/github\/bedrockgateway\/translate\//,
    'gateway: observability': /io\/github\/bedrockgateway\/observability\//,
    'logging (jboss logmanager)': /org\/jboss\/logmanager/,
    'Micrometer': /io\/micrometer/,
    'JIT compiler threads': /^(C2Compiler|C1Compiler|CompileBroker|Compile::)/,
    'GC': /^(GC|G1|Serial|DefNew|TenuredGeneration|ParallelScavenge|PSYoung|VM_GC|GenCollect)/,
    'kernel: network send/recv': /\[k\]|_\[k\]|sys_sendto|tcp_sendmsg|tcp_recvmsg|__x64_sys_write|__x64_sys_read|epoll/,
};
const threads = new Map();
const groupCount = Object.fromEntries(Object.keys(groups).map((g) => [g, 0]));
let total = 0;
for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const sp = line.lastIndexOf(' ');
    const n = +line.slice(sp + 1);
    const frames = line.slice(0, sp).split(';');
    total += n;
    if (frames[0].startsWith('[')) {
        // with async-profiler's "threads" option the root frame is [thread name tid=N]
        const name = frames.shift().replace(/ tid=\d+\]$/, ']').replace(/-\d+\]$/, '-N]').replace(/\d+\]$/, 'N]');
        threads.set(name, (threads.get(name) ?? 0) + n);
    }
    const leaf = frames[frames.length - 1];
    self.set(leaf, (self.get(leaf) ?? 0) + n);
    for (const f of new Set(frames)) incl.set(f, (incl.get(f) ?? 0) + n);
    for (const [g, re] of Object.entries(groups)) {
        if (frames.some((f) => re.test(f))) groupCount[g] += n;
    }
}
const pct = (n) => ((100 * n) / total).toFixed(1).padStart(5) + '%';
const short = (f) => (f.length > 150 ? f.slice(0, 147) + '...' : f);
console.log(`${total} samples`);
if (threads.size) {
    console.log('\n== by thread (names with numbers folded)');
    for (const [t, n] of [...threads].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(n)}  ${t}`);
}
console.log('\n== inclusive, by group');
for (const [g, n] of Object.entries(groupCount).sort((a, b) => b[1] - a[1])) console.log(`${pct(n)}  ${g}`);
console.log(`\n== self (leaf frames), top ${top}`);
for (const [f, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(n)}  ${short(f)}`);
console.log(`\n== inclusive, top ${top * 2} frames below 60%`);
for (const [f, n] of [...incl].filter(([, n]) => n < 0.6 * total).sort((a, b) => b[1] - a[1]).slice(0, top * 2)) {
    console.log(`${pct(n)}  ${short(f)}`);
}

// With a third argument FRAME_SUBSTRING: the callees of the first frame matching it, two levels deep.
const under = process.argv[4];
if (under) {
    const tree = new Map();
    let base = 0;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        const sp = line.lastIndexOf(' ');
        const n = +line.slice(sp + 1);
        const frames = line.slice(0, sp).split(';');
        if (frames[0].startsWith('[')) frames.shift();
        const i = frames.findIndex((f) => f.includes(under));
        if (i < 0) continue;
        base += n;
        const path = frames.slice(i + 1, i + 1 + (+(process.argv[5] ?? 2)));
        for (let d = 1; d <= path.length; d++) {
            const key = path.slice(0, d).join(' > ');
            tree.set(key, (tree.get(key) ?? 0) + n);
        }
    }
    console.log(`\n== under ${under}: ${pct(base)} of all samples`);
    for (const [k, n] of [...tree].filter(([, n]) => n >= base * 0.01).sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const depth = k.split(' > ').length;
        console.log(`${pct(n)} ${'  '.repeat(depth)}${short(k.split(' > ').at(-1))}`);
    }
}
