// SPDX-License-Identifier: GPL-2.0
/*
 * The atlas as one HTML page, with nothing to fetch: the SVG, the atlas's
 * data ($defs/atlas) in a script element, and a small script. Buttons and
 * Ctrl+wheel zoom; the mouse over a row shows the level-by-level walk of
 * the address under it (one walk per hover cell, taken with the snapshot);
 * a click on a group lists its VMAs below, where they stay while the mouse
 * moves on (until a click elsewhere); "#addr=0x..." in the URL opens the
 * walk of the cell holding that address, and lists its group's VMAs.
 */
#include <stdio.h>

#include <json-c/json.h>

#include "atlas.h"
#include "atlas_draw.h"

static const char html_style[] =
"body{margin:0;font-family:sans-serif;color:#212529;display:flex;height:100vh}\n"
"#map{flex:1;overflow:auto}\n"
"#side{width:440px;border-left:1px solid #ced4da;padding:8px 12px;overflow:auto;"
"font-size:13px}\n"
"#side button{font-size:14px;min-width:2em}\n"
"#side h2{font-size:15px;margin:12px 0 4px}\n"
"#panel table{border-collapse:collapse;font-family:monospace;font-size:12px}\n"
"#panel td,#panel th{border-bottom:1px solid #e9ecef;padding:2px 6px;text-align:left}\n"
"#members{border-top:1px solid #ced4da;margin-top:8px}\n"
"#members:empty{display:none}\n"
"#members ul{font-family:monospace;font-size:12px;padding-left:16px}\n"
".walk-outcome{font-weight:bold}\n";

static const char html_script[] =
"(function () {\n"
"'use strict';\n"
"var data = JSON.parse(document.getElementById('atlas-data').textContent);\n"
"var svg = document.querySelector('#map svg');\n"
"var panel = document.getElementById('panel');\n"
"var members = document.getElementById('members');\n"
"var w0 = +svg.getAttribute('width'), h0 = +svg.getAttribute('height'), zoom = 1;\n"
"\n"
"function zoomTo(z) {\n"
"  zoom = Math.min(16, Math.max(0.25, z));\n"
"  svg.setAttribute('width', w0 * zoom);\n"
"  svg.setAttribute('height', h0 * zoom);\n"
"  document.getElementById('zoom').textContent = Math.round(zoom * 100) + '%';\n"
"}\n"
"document.getElementById('zin').onclick = function () { zoomTo(zoom * 1.5); };\n"
"document.getElementById('zout').onclick = function () { zoomTo(zoom / 1.5); };\n"
"document.getElementById('z1').onclick = function () { zoomTo(1); };\n"
"document.getElementById('map').addEventListener('wheel', function (e) {\n"
"  if (!e.ctrlKey)\n"
"    return;\n"
"  e.preventDefault();\n"
"  zoomTo(zoom * (e.deltaY < 0 ? 1.25 : 0.8));\n"
"}, { passive: false });\n"
"\n"
"function add(parent, tag, text, cls) {\n"
"  var e = document.createElement(tag);\n"
"  if (text !== undefined && text !== null)\n"
"    e.textContent = text;\n"
"  if (cls)\n"
"    e.className = cls;\n"
"  parent.appendChild(e);\n"
"  return e;\n"
"}\n"
"\n"
"function note(l) {\n"
"  return l.leaf ? 'leaf' : l.folded ? 'folded' : l.none ? 'empty' : l.bad ? 'bad' : '';\n"
"}\n"
"\n"
"function outcome(w) {\n"
"  if (w.present)\n"
"    return 'present: a ' + w.page_size / 1024 + ' KiB page' + (w.phys ?\n"
"      ' at phys ' + w.phys + ' (pfn ' + w.pfn + ')' : ', phys hidden (needs CAP_SYS_ADMIN)');\n"
"  if (w.swap)\n"
"    return 'swapped: ' + w.swap.kind + (w.swap.offset ?\n"
"      ', type ' + w.swap.type + ', offset ' + w.swap.offset : '');\n"
"  return 'not present: the walk ends at ' + w.stop;\n"
"}\n"
"\n"
"function describe(r) {\n"
"  var row = data.rows[r], v = data.vmas[row.first], p = row.pages;\n"
"  panel.textContent = '';\n"
"  panel.setAttribute('data-row', r);\n"
"  add(panel, 'h2', row.type === 'group' ? row.count + ' VMAs' :\n"
"    v.perms + ' ' + (v.path || '[' + v.kind + ']'));\n"
"  add(panel, 'p', row.start + '-' + row.end);\n"
"  add(panel, 'p', p.present + ' pages present (' + p.huge + ' under huge leaves), ' +\n"
"    p.swap + ' swapped, ' + p.shared + ' shared, ' + p.none + ' not mapped' +\n"
"    (row.faults ? '; ' + row.faults.reduce(function (s, n) { return s + n; }, 0) +\n"
"     ' faults traced' : ''), 'pages');\n"
"  return row;\n"
"}\n"
"\n"
"function showWalk(r, c) {\n"
"  var row = describe(r), w = row.walks ? row.walks[c] : null, t, tr;\n"
"  panel.setAttribute('data-cell', c);\n"
"  if (!w) {\n"
"    add(panel, 'p', 'No page of a VMA under this part of the row.', 'walk-none');\n"
"    return;\n"
"  }\n"
"  add(panel, 'p', 'The walk of ' + w.addr + ', level by level:', 'walk-addr');\n"
"  t = add(panel, 'table', null, 'walk');\n"
"  tr = add(t, 'tr');\n"
"  ['level', 'index', 'entry', 'flags', ''].forEach(function (h) { add(tr, 'th', h); });\n"
"  w.levels.forEach(function (l) {\n"
"    tr = add(t, 'tr', null, 'level');\n"
"    [l.level, l.index, l.entry, l.flags.join(' '), note(l)].forEach(function (x) {\n"
"      add(tr, 'td', x);\n"
"    });\n"
"  });\n"
"  add(panel, 'p', outcome(w), 'walk-outcome');\n"
"}\n"
"\n"
"/* A group's VMAs, apart from the panel the mouse rewrites: they stay. */\n"
"function showGroup(r) {\n"
"  var row = data.rows[r], ul, i, v;\n"
"  members.textContent = '';\n"
"  members.setAttribute('data-row', r);\n"
"  add(members, 'h2', row.count + ' VMAs of the group ' + row.start + '-' + row.end);\n"
"  ul = add(members, 'ul');\n"
"  for (i = row.first; i < row.first + row.count; i++) {\n"
"    v = data.vmas[i];\n"
"    add(ul, 'li', v.start + '-' + v.end + ' ' + v.perms + ' ' + (v.path || '[' + v.kind + ']'));\n"
"  }\n"
"}\n"
"\n"
"svg.addEventListener('mouseover', function (e) {\n"
"  var t = e.target, g = t.closest ? t.closest('g.vma, g.group') : null;\n"
"  if (t.classList && t.classList.contains('cell')) {\n"
"    showWalk(+t.getAttribute('data-row'), +t.getAttribute('data-cell'));\n"
"  } else if (g && !data.rows[+g.getAttribute('data-row')].walks) {\n"
"    describe(+g.getAttribute('data-row'));\n"
"    add(panel, 'p', 'Drawn from a snapshot: no walks.', 'walk-none');\n"
"  }\n"
"});\n"
"svg.addEventListener('click', function (e) {\n"
"  var g = e.target.closest ? e.target.closest('g.group') : null;\n"
"  if (g) {\n"
"    showGroup(+g.getAttribute('data-row'));\n"
"  } else {\n"
"    members.textContent = '';\n"
"    members.removeAttribute('data-row');\n"
"  }\n"
"});\n"
"\n"
"/* The row and cell of address a (a BigInt), as the tool bins pages. */\n"
"function cellOf(a) {\n"
"  var r, row, s, e, bins, bin, c;\n"
"  for (r = 0; r < data.rows.length; r++) {\n"
"    row = data.rows[r];\n"
"    if (!row.strip)\n"
"      continue;\n"
"    s = BigInt(row.start);\n"
"    e = BigInt(row.end);\n"
"    if (a < s || a >= e)\n"
"      continue;\n"
"    bins = BigInt(row.strip.length);\n"
"    bin = Number((a - s) / BigInt(data.page_size) * bins / ((e - s) / BigInt(data.page_size)));\n"
"    for (c = row.cells - 1; c > 0 && Math.floor(c * row.strip.length / row.cells) > bin; c--)\n"
"      ;\n"
"    return [r, c];\n"
"  }\n"
"  return null;\n"
"}\n"
"\n"
"var m = /^#addr=(0x[0-9a-fA-F]+)$/.exec(location.hash), hit = m ? cellOf(BigInt(m[1])) : null;\n"
"if (hit && data.rows[hit[0]].walks)\n"
"  showWalk(hit[0], hit[1]);\n"
"if (hit && data.rows[hit[0]].type === 'group')\n"
"  showGroup(hit[0]);\n"
"document.body.setAttribute('data-ready', '1');\n"
"})();\n";

/*
 * JSON text inside a <script> element: '<', '>' and '&' (which only strings
 * hold) as \u escapes, so that no name can end the element or open
 * "<!--<script", whose escaping would swallow the rest of the page.
 */
static void html_json(FILE *out, const char *json)
{
	for (; *json; json++) {
		if (*json == '<' || *json == '>' || *json == '&')
			fprintf(out, "\\u%04x", *json);
		else
			fputc(*json, out);
	}
}

/**
 * atlas_write_html() - the atlas as a page that needs nothing else
 * @out: where to
 * @a: the atlas
 */
void atlas_write_html(FILE *out, const struct atlas *a)
{
	struct json_object *data = atlas_to_json(a);

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
	fprintf(out, "<title>vmatlas atlas: pid %d (", a->s->pid);
	atlas_xml(out, a->s->comm);
	fprintf(out, ")</title>\n<style>\n%s</style>\n</head>\n<body>\n<div id=\"map\">\n",
		html_style);
	atlas_svg(out, a);
	fputs("</div>\n<div id=\"side\">\n", out);
	fputs("<div>Zoom <button id=\"zout\">&#8722;</button><button id=\"z1\">1:1</button>\n",
	      out);
	fputs("<button id=\"zin\">+</button> <span id=\"zoom\">100%</span> (or Ctrl+wheel)</div>\n",
	      out);
	fputs("<div id=\"panel\"><p>Move the mouse over a row to see the walk of an address\n",
	      out);
	fputs("under it, level by level; click a group to list its VMAs below.</p></div>\n",
	      out);
	fputs("<div id=\"members\"></div>\n</div>\n", out);
	fputs("<script type=\"application/json\" id=\"atlas-data\">", out);
	html_json(out, json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN));
	fputs("</script>\n", out);
	fprintf(out, "<script>\n%s</script>\n</body>\n</html>\n", html_script);
	json_object_put(data);
}
