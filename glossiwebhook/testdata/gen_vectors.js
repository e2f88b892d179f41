#!/usr/bin/env node
// Generates testdata/vectors.json: Glossi delivery bodies as a Node.js sender
// makes them (compact JSON.stringify bytes, unless stated), each signed with
// Node's crypto.createHmac over the exact UTF-8 bytes of the body.
//
// Run from the package directory, then run gen_vectors.py, which adds
// Python's independent signatures and the re-serializations of the seed's
// examples:
//
//	node testdata/gen_vectors.js && python3 testdata/gen_vectors.py
//
// The Go tests only read vectors.json; they never run node or python.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const TS = '2025-01-15T10:30:00.000Z';
const SECRET = 'whsec_4f9c2b7e1a8d4c3f9e6b0a5d7c2e1f8b';

// The seven payloads of the Glossi webhook documentation, in its order.
const seed = [
  ['model.processed', {
    modelId: 'model-uuid', name: 'Chair Model', status: 'READY',
    glbFilePath: 'https://s3.../file.glb', thumbnailUrl: 'https://s3.../file.jpg',
  }],
  ['model.failed', {
    modelId: 'model-uuid', name: 'Chair Model', status: 'FAILED',
    error: 'Model conversion failed: unsupported format',
  }],
  ['project.created', {
    projectId: 'project-uuid', name: 'Chair Project', modelIds: ['model-uuid'], templateId: 'template-uuid',
  }],
  ['job.complete', {
    jobId: 'job-uuid', status: 'COMPLETE',
    results: [{ model: { id: 'model-uuid', name: 'Chair' }, project: { id: 'project-uuid', name: 'Chair Project' } }],
  }],
  ['job.failed', { jobId: 'job-uuid', status: 'FAILED', error: 'Model processing timed out' }],
  ['render.complete', {
    jobId: 'render-job-uuid', status: 'COMPLETED', projectId: 'project-uuid', renderIds: ['render-uuid-1', 'render-uuid-2'],
  }],
  ['render.failed', { jobId: 'render-job-uuid', projectId: 'project-uuid', error: 'Render timed out' }],
];

const vectors = [];
function add(name, body, opts = {}) {
  const secret = opts.secret || SECRET;
  const signature = crypto.createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex');
  const again = JSON.stringify(safeParse(body));
  vectors.push({
    name,
    source: opts.source || 'node JSON.stringify',
    valid_delivery: opts.valid !== false,
    event: opts.event || null,
    secret,
    body,
    signature,
    signatures: { node: signature },
    reserialized: again === undefined ? [] : [{
      by: 'node: JSON.stringify(JSON.parse(body)) (the seed\'s Node example)',
      body: again,
      signature: crypto.createHmac('sha256', secret).update(Buffer.from(again, 'utf8')).digest('hex'),
      same_bytes: again === body,
    }],
  });
}
function safeParse(s) {
  try { return JSON.parse(s); } catch (e) { return undefined; }
}
const delivery = (event, data) => ({ event, timestamp: TS, data });

for (const [event, data] of seed) {
  add(event, JSON.stringify(delivery(event, data)), { event });
}

add('unicode', JSON.stringify(delivery('model.processed', {
  modelId: 'model-ü', name: 'Stühl 椅子 🪑 naïve “quoted” \u2028 line sep', status: 'READY',
  glbFilePath: 'https://cdn.example.com/models/st\u00fchl.glb', thumbnailUrl: 'https://cdn.example.com/t/1.jpg',
})), { event: 'model.processed' });

add('html-characters', JSON.stringify(delivery('model.failed', {
  modelId: 'model-uuid', name: '<b>Chair & Table</b>', status: 'FAILED',
  error: 'bad <script>alert("x")</script> & \'quote\' at https://example.com/a?b=1&c=2',
})), { event: 'model.failed' });

// Numbers as a sender may write them; Go, Python and PHP re-encode them
// differently (1e3 -> 1000, 1E+300 -> 1e+300, big ints lose precision).
add('numbers', '{"event":"render.complete","timestamp":"' + TS + '","data":{"jobId":"render-job-uuid",' +
  '"status":"COMPLETED","projectId":"project-uuid","renderIds":[],"float":0.1,"sum":0.30000000000000004,' +
  '"exp":1e3,"bigExp":1.5E+300,"tiny":5e-324,"negZero":-0,"big":12345678901234567890,"maxSafe":9007199254740993}}',
{ event: 'render.complete', source: 'hand-written bytes' });

add('pretty-printed', JSON.stringify(delivery('model.processed', seed[0][1]), null, 2),
  { event: 'model.processed', source: 'node JSON.stringify(v, null, 2)' });

add('pretty-printed-crlf-trailing-newline',
  JSON.stringify(delivery('job.failed', seed[4][1]), null, '\t').replace(/\n/g, '\r\n') + '\r\n',
  { event: 'job.failed', source: 'hand-formatted bytes' });

add('escaped-slashes-php-style',
  '{"event":"model.processed","timestamp":"' + TS + '","data":{"modelId":"model-uuid","name":"Chair Model",' +
  '"status":"READY","glbFilePath":"https:\\/\\/s3...\\/file.glb","thumbnailUrl":"https:\\/\\/s3...\\/file.jpg"}}',
  { event: 'model.processed', source: 'hand-written bytes (PHP json_encode style)' });

add('unknown-future-event', JSON.stringify(delivery('model.deleted', { modelId: 'model-uuid' })),
  { event: 'model.deleted' });

add('key-order-not-sorted', JSON.stringify({ timestamp: TS, data: { status: 'FAILED', jobId: 'job-uuid', error: 'x' }, event: 'job.failed' }),
  { event: 'job.failed' });

add('unicode-secret', JSON.stringify(delivery('job.failed', seed[4][1])),
  { event: 'job.failed', secret: 'clé-秘密-🔑' });

add('long-secret-over-block-size', JSON.stringify(delivery('job.failed', seed[4][1])),
  { event: 'job.failed', secret: 'k'.repeat(100) + '-longer-than-the-64-byte-sha256-block' });

add('empty-body', '', { valid: false, source: 'empty body' });
add('not-an-object', '["model.processed"]', { valid: false, source: 'hand-written bytes' });

const out = {
  comment: 'Generated by gen_vectors.js (node ' + process.version + ') then gen_vectors.py; do not edit by hand. ' +
    'body is the exact delivery body (UTF-8); signature is hex HMAC-SHA256(secret, body); ' +
    'reserialized lists what the Glossi documentation examples hash instead of the raw body.',
  timestamp: TS,
  vectors,
};
fs.writeFileSync(path.join(__dirname, 'vectors.json'), JSON.stringify(out, null, 2) + '\n');
console.log('wrote', vectors.length, 'vectors');
