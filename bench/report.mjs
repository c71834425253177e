// Turns bench/run.sh's results.jsonl into the one table of docs/performance.md (markdown on stdout).
// Usage: node bench/report.mjs bench/.work/latest/results.jsonl
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const get = (scenario, target) => lines.find((l) => l.scenario === scenario && (target === undefined || l.target === target));
const machine = get('machine') ?? {};
const machineEnd = get('machine_end') ?? {};
const TARGETS = ['direct', 'nginx', 'portkey', 'gateway', 'passthrough', 'responses'].filter((t) => lines.some((l) => l.target === t));
const rates = [...new Set(lines.filter((l) => /^rate\d+$/.test(l.scenario)).map((l) => +l.scenario.slice(4)))].sort((a, b) => a - b);

const f = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(d));
const rows = [];
// row(label, values per target (number|undefined), digits, gatewayVs text, target text, met boolean|undefined)
const row = (label, vals, d, vs = '', target = '', met) =>
    rows.push([label, ...TARGETS.map((t) => (typeof vals[t] === 'string' ? vals[t] : f(vals[t], d))), vs, target,
        met === undefined ? '' : met ? '**yes**' : '**no**']);
const per = (fn) => Object.fromEntries(TARGETS.map((t) => [t, fn(t)]));
const cpuPerReq = (r) => (r && r.ok ? (r.sut_cpu_ms * 1000) / r.ok : undefined);

// ---- fixed rates
for (const q of ['p50', 'p99', 'max']) {
    for (const rate of rates) {
        row(`${rate} rps: latency ${q} (ms)`, per((t) => get(`rate${rate}`, t)?.[`lat_${q}_ms`]), 2);
    }
}
for (const rate of rates) {
    const v = per((t) => get(`rate${rate}`, t));
    const errs = per((t) => (v[t] ? `${v[t].errors}/${v[t].sent}` : undefined));
    row(`${rate} rps: errors / sent`, errs, 0);
}
const added = (rate, q) => per((t) => {
    const x = get(`rate${rate}`, t)?.[`lat_${q}_ms`];
    const base = get(`rate${rate}`, 'direct')?.[`lat_${q}_ms`];
    return t === 'direct' || x === undefined || base === undefined ? undefined : x - base;
});
if (rates.includes(500)) {
    const a50 = added(500, 'p50'), a99 = added(500, 'p99');
    row('500 rps: added p50 vs direct (ms)', a50, 2, '', '≤ 0.5', a50.gateway === undefined ? undefined : a50.gateway <= 0.5);
    row('500 rps: added p99 vs direct (ms)', a99, 2, '', '≤ 2', a99.gateway === undefined ? undefined : a99.gateway <= 2);
}
for (const rate of rates) {
    row(`${rate} rps: CPU per request (µs)`, per((t) => cpuPerReq(get(`rate${rate}`, t))), 0);
}
if (rates.length > 1) {
    const spread = per((t) => {
        const c = rates.map((r) => cpuPerReq(get(`rate${r}`, t))).filter((x) => x !== undefined);
        return c.length ? Math.max(...c) / Math.min(...c) : undefined;
    });
    row(`CPU per request, max/min over ${rates[0]}→${rates.at(-1)} rps`, spread, 2, '', '≤ 1.2',
        spread.gateway === undefined ? undefined : spread.gateway <= 1.2);
    const stab = per((t) => {
        const lo = get(`rate${rates[0]}`, t)?.lat_p99_ms, hi = get(`rate${rates.at(-1)}`, t)?.lat_p99_ms;
        return lo && hi ? hi / lo : undefined;
    });
    row(`p99 at ${rates.at(-1)} / p99 at ${rates[0]} rps`, stab, 2, '', '≤ 2 (stable)',
        stab.gateway === undefined ? undefined : stab.gateway <= 2);
}
row('loaded RSS, peak during the rate phases (MB)',
    per((t) => { const r = rates.map((x) => get(`rate${x}`, t)?.rss_peak_kb).filter(Boolean); return r.length ? Math.max(...r) / 1024 : undefined; }), 0);

// ---- peak
if (get('peak')) {
    const rps = per((t) => get('peak', t)?.rps);
    const ratio = rps.gateway && rps.portkey ? rps.gateway / rps.portkey : undefined;
    row(`peak throughput, wrk closed loop (req/s)`, rps, 0, ratio ? `${f(ratio, 1)}× portkey` : '', '≥ 4× portkey',
        ratio === undefined ? undefined : ratio >= 4);
    row('peak: errors', per((t) => get('peak', t)?.errors), 0);
    row('peak: latency p50 / p99', per((t) => { const p = get('peak', t); return p ? `${p.p50} / ${p.p99}` : undefined; }), 0);
    row('peak: CPU per request (µs)', per((t) => { const p = get('peak', t); return p?.requests ? (p.sut_cpu_ms * 1000) / p.requests : undefined; }), 0);
}

// ---- streaming
if (get('ttft')) {
    row('TTFT p50 (ms), 20 streams/s', per((t) => get('ttft', t)?.ttft_p50_ms), 2);
    row('TTFT p99 (ms)', per((t) => get('ttft', t)?.ttft_p99_ms), 2);
    const a = per((t) => {
        const x = get('ttft', t)?.ttft_p50_ms, b = get('ttft', 'direct')?.ttft_p50_ms;
        return t === 'direct' || x === undefined || b === undefined ? undefined : x - b;
    });
    row('added TTFT p50 vs direct (ms)', a, 2, '', '≤ 1', a.gateway === undefined ? undefined : a.gateway <= 1);
    row('ttft: errors / sent', per((t) => { const r = get('ttft', t); return r ? `${r.errors}/${r.sent}` : undefined; }), 0);
}
if (get('chunks500')) {
    const total = per((t) => { const r = get('chunks500', t); return r?.ok ? (r.sut_cpu_ms * 1000) / (r.ok * 500) : undefined; });
    const marginal = per((t) => {
        const a = get('chunks500', t), b = get('chunks1', t);
        if (!a?.ok || !b?.ok) return undefined;
        return ((a.sut_cpu_ms / a.ok - b.sut_cpu_ms / b.ok) * 1000) / 499;
    });
    row('CPU per streamed chunk, 500-token streams (µs)', total, 2, '', '≤ 5', total.gateway === undefined ? undefined : total.gateway <= 5);
    row('  of which marginal (500-token minus 1-token streams)', marginal, 2);
    row('500-token stream: duration p50 (ms)', per((t) => get('chunks500', t)?.lat_p50_ms), 1);
    row('chunks: errors / sent', per((t) => { const r = get('chunks500', t); return r ? `${r.errors}/${r.sent}` : undefined; }), 0);
}
if (get('hold')) {
    const errs = per((t) => get('hold', t)?.errors);
    const rss = per((t) => (get('hold', t) ? get('hold', t).rss_peak_kb / 1024 : undefined));
    const n = get('hold', 'gateway')?.sent ?? get('hold')?.sent;
    row(`${n} concurrent ~4 s streams: errors`, errs, 0, '', '0', errs.gateway === undefined ? undefined : errs.gateway === 0);
    row(`${n} concurrent streams: max open at once`, per((t) => get('hold', t)?.max_in_flight), 0);
    row(`${n} concurrent streams: peak RSS (MB)`, rss, 0, '', '≤ 512', rss.gateway === undefined ? undefined : rss.gateway <= 512);
    row(`${n} concurrent streams: TTFT p99 (ms)`, per((t) => get('hold', t)?.ttft_p99_ms), 1);
    row(`${n} concurrent streams: duration p99 (ms)`, per((t) => get('hold', t)?.lat_p99_ms), 0);
}

// ---- footprint
const idle = per((t) => (get('idle', t) ? get('idle', t).rss_kb / 1024 : undefined));
row('idle RSS after start and one request (MB)', idle, 0, '', '≤ 120', idle.gateway === undefined ? undefined : idle.gateway <= 120);
row('RSS at the end of the run (MB)', per((t) => (get('after', t) ? get('after', t).rss_kb / 1024 : undefined)), 0);
row('start-up to first served completion (ms)', per((t) => get('idle', t)?.startup_ms ?? undefined), 0);
const fp = get('footprint', 'gateway')?.data;
if (fp) {
    const mb = fp.rss_kb / 1024;
    row('gateway with the footprint flags: idle RSS (MB)', { gateway: mb }, 0, '', '≤ 120', mb <= 120);
    row('gateway with the footprint flags: start-up (ms)', { gateway: fp.startup_ms }, 0);
}

const header = ['', ...TARGETS, 'ratio', 'target (gateway)', 'met'];
const out = [];
out.push(`Machine: ${machine.cpus} CPUs (${machine.model}), ${machine.java}; load average ${machine.load_start} at start, ` +
    `${machineEnd.load_end ?? '?'} at end; processes pinned: ${machine.pinned ? 'yes (system under test on CPU 1, simulator and load generator on CPU 0)' : 'no'}; ` +
    `phases ${machine.duration_s} s after ${machine.warmup_s} s warm-up${machine.quick ? ' (quick run)' : ''}.`);
out.push(`Gateway JVM flags: \`${machine.gateway_java_opts}\`; footprint flags: \`${get('footprint')?.flags ?? '–'}\`; MALLOC_ARENA_MAX=${machine.malloc_arena_max ?? '?'}.`);
out.push('');
out.push(`| ${header.join(' | ')} |`);
out.push(`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
for (const r of rows) out.push(`| ${r.join(' | ')} |`);
console.log(out.join('\n'));
