#!/usr/bin/env node
// A dashboard's reader of the tracker API in Node 20 (built-in fetch, no packages).
//
// It reads a filtered list (the programs serving a region, with their headline budgets),
// following each page's `next` link until it is null, and the changes feed, following `next`
// while `more` is true — it never builds a page URL or a cursor itself.
//
//   node docs/examples/js_client.mjs http://127.0.0.1:8000 --region 48
//   node docs/examples/js_client.mjs http://127.0.0.1:8000 --cursor <the cursor it printed>
//
// prints the same JSON object as python_client.py.

const USER_AGENT = "tracker-example-js/1";

async function getJson(url, token) {
  const headers = { Accept: "application/json", "User-Agent": USER_AGENT };
  if (token) headers.Authorization = `Token ${token}`;
  const response = await fetch(url, { headers });
  if (!response.ok) {
    const error = new Error(`${response.status} ${url}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

// Every row of a list: page after page, following `next` until it is null.
async function* follow(url, token) {
  while (url) {
    const page = await getJson(url, token);
    yield* page.results;
    url = page.next;
  }
}

async function collect(rows) {
  const out = [];
  for await (const row of rows) out.push(row);
  return out;
}

async function regionPrograms(base, region) {
  const query = new URLSearchParams({ region, ordering: "name", page_size: "2" });
  const rows = await collect(follow(`${base}/api/v1/programs/?${query}`));
  return rows.map((row) => ({
    slug: row.slug,
    headline_budget_krw: row.headline_budget_krw,
    linked: row.linked_regions.includes(region),
  }));
}

// The changes feed from `cursor` (from the start without one), up to now: every create, update
// and delete (tombstone) of the record `types`, oldest first, and the cursor to resume from.
// `next` is always given; `more` says whether it has more now.
async function changes(base, types, cursor) {
  const query = new URLSearchParams({ limit: "2", type: types });
  if (cursor) query.set("cursor", cursor);
  let url = `${base}/api/v1/changes/?${query}`;
  const out = [];
  for (;;) {
    const page = await getJson(url);
    for (const c of page.results) out.push({ type: c.type, id: c.id, action: c.action, url: c.url });
    url = page.next;
    cursor = page.cursor;
    if (!page.more) return [out, cursor];
  }
}

function option(args, name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
}

// Keys sorted at every level, as Python's json.dumps(sort_keys=True): the two clients' outputs
// compare equal as text.
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
  }
  return value;
}

async function main() {
  const args = process.argv.slice(2);
  const base = (args[0] && !args[0].startsWith("--") ? args[0] : "http://127.0.0.1:8000").replace(/\/$/, "");
  const region = option(args, "--region", "48");
  const types = option(args, "--types", "programs.program");
  const programs = await regionPrograms(base, region);
  const [feed, cursor] = await changes(base, types, option(args, "--cursor", null));
  const result = {
    region,
    programs,
    budget_total_krw: programs.reduce((sum, p) => sum + (p.headline_budget_krw ?? 0), 0),
    changes: feed,
    cursor,
  };
  console.log(JSON.stringify(sorted(result)));
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
