#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The atlas held to its sources, independently of the tool's C.

  atlas_check.py gen DIR N            a snapshot of N VMAs (DIR/big.json), a trace (DIR/trace.json)
  atlas_check.py model SNAP ATLAS [TRACE]   the data (--json) against the snapshot and trace
  atlas_check.py dom DOM ATLAS        the page Chromium built (--dump-dom) against the data
  atlas_check.py png PNG DOM          the screenshot against the page: colours where the DOM says

Each prints what differs on stderr and exits 1, else exits 0.
"""
import html.parser
import json
import random
import struct
import sys
import zlib

FILL = {'p': (0x2b, 0x8a, 0x3e), 'H': (0x5f, 0x3d, 0xc4), 's': (0xe8, 0x59, 0x0c),
        'S': (0x19, 0x71, 0xc2), 'o': (0x86, 0x8e, 0x96), ' ': (0xff, 0xff, 0xff)}
errors = []


def bad(msg):
    errors.append(msg)


def hx(s):
    return int(s, 16)


def gen(out, n):
    """N VMAs in clusters (a library's four, thread stacks with guards, lone anons)."""
    rnd = random.Random(n)
    ps, addr, vmas, runs, events = 4096, 0x10000000, [], [], []
    while len(vmas) < n:
        addr += rnd.choice([0, 0, ps, 16 * ps, 1 << 21, 1 << 30])
        size = rnd.choice([1, 2, 8, 64, 512, 2048]) * ps
        if size == 2048 * ps:
            addr = (addr + (1 << 21) - 1) & ~((1 << 21) - 1)
        kind = rnd.choice(['anon', 'anon', 'file', 'guard', 'shm'])
        path = '/usr/lib/lib%d.so' % (len(vmas) // 4) if kind == 'file' else ''
        vmas.append({'start': hex(addr), 'end': hex(addr + size), 'perms': 'rw-p',
                     'offset': '0x0', 'dev': '00:00', 'inode': 0, 'path': path, 'kind': kind,
                     'flags': ['read', 'write'], 'pages': {}})
        a = addr
        # An 8 MiB VMA on a 2 MiB boundary: a THP or two, PMD-mapped.
        for _ in range(rnd.randrange(3) if size == 2048 * ps else 0):
            runs.append({'start': hex(a), 'end': hex(a + (1 << 21)), 'state': 'present',
                         'leaf_size': 1 << 21, 'pfn': hex(0x100000 + a // ps),
                         'swap_type': None, 'swap_offset': None, 'flags': ['present', 'huge'],
                         'shared': rnd.random() < 0.3})
            a += 1 << 21
        while a < addr + size:
            k = rnd.randrange(1, size // ps + 1) * ps
            k = min(k, addr + size - a)
            state = rnd.choice(['present', 'present', 'swap', 'none', 'other'])
            leaf = ps
            if state != 'none':
                runs.append({'start': hex(a), 'end': hex(a + k), 'state': state, 'leaf_size': leaf,
                             'pfn': hex(0x1000 + a // ps) if state == 'present' else None,
                             'swap_type': 0 if state == 'swap' else None,
                             'swap_offset': hex(a // ps) if state == 'swap' else None,
                             'flags': ['present'] if state == 'present' else [],
                             'shared': rnd.random() < 0.3 if state == 'present' else None})
            a += k
        if rnd.random() < 0.3:
            for _ in range(rnd.randrange(1, 20)):
                # Some of a child's (pid 8), at its parent's addresses.
                events.append({'addr': hex(addr + rnd.randrange(size)),
                               'pid': 7 if rnd.random() < 0.8 else 8})
        addr += size
    events.append({'addr': '0x8'})
    snap = {'snapshot': 1, 'pid': 7, 'comm': 'many', 'time': '2026-11-27T12:00:00Z',
            'kernel': '6.12.0', 'arch': 'x86_64', 'page_size': ps, 'phys_hidden': False,
            'sharing': True, 'vmas': vmas, 'runs': runs}
    for v in vmas:
        v['pages'] = {k: 0 for k in ('present', 'swap', 'anon', 'file', 'thp', 'hugetlb',
                                     'dirty', 'young', 'shared', 'cow', 'zero', 'soft_dirty')}
    json.dump(snap, open(out + '/big.json', 'w'))
    json.dump({'events': events}, open(out + '/trace.json', 'w'))


def page_states(snap, lo, hi):
    """Each page of [lo, hi): ' ' outside VMAs, '.' in one, then what its run says
    (X: shared under a huge leaf, drawn S, counted huge)."""
    ps = snap['page_size']
    st = [' '] * ((hi - lo) // ps)
    for v in snap['vmas']:
        s, e = max(hx(v['start']), lo), min(hx(v['end']), hi)
        for a in range(s, e, ps):
            st[(a - lo) // ps] = '.'
    for r in snap['runs']:
        s, e = max(hx(r['start']), lo), min(hx(r['end']), hi)
        c = {'present': 'H' if r['leaf_size'] > ps else 'p', 'swap': 's'}.get(r['state'], 'o')
        if r['state'] == 'present' and r.get('shared'):
            c = 'X' if r['leaf_size'] > ps else 'S'
        for a in range(s, e, ps):
            if st[(a - lo) // ps] == '.':
                st[(a - lo) // ps] = c
    return st


def strip_of(states, nbins):
    """Most pages win; ties go to s, S, H, p, o, '.', ' ' in that order."""
    n, out, order = len(states), '', 'sSHpo. '
    for i in range(nbins):
        a, b = (i * n + nbins - 1) // nbins, ((i + 1) * n + nbins - 1) // nbins
        cnt = {c: 0 for c in order}
        for c in states[a:b]:
            cnt['S' if c == 'X' else c] += 1
        out += max(order, key=lambda c: (cnt[c], -order.index(c)))
    return out


def model(snap_path, atlas_path, trace_path=None):
    snap, atlas = json.load(open(snap_path)), json.load(open(atlas_path))
    ps, vmas = snap['page_size'], snap['vmas']
    user = [r for r in atlas['rows'] if r['type'] in ('vma', 'group')]
    if len(vmas) > atlas['max_rows'] and len(user) != atlas['max_rows']:
        bad('%d VMAs in %d user rows, not %d' % (len(vmas), len(user), atlas['max_rows']))
    if (len(vmas) <= atlas['max_rows']) != (len(user) == len(vmas)):
        bad('%d VMAs in %d rows (max %d)' % (len(vmas), len(user), atlas['max_rows']))
    nxt, prev_end = 0, 0
    for r in atlas['rows']:
        s, e = hx(r['start']), hx(r['end'])
        if r['type'] == 'gap':
            if s != prev_end or e <= s:
                bad('gap %s-%s after %#x' % (r['start'], r['end'], prev_end))
            prev_end = e
            continue
        if r['type'] == 'region':
            continue
        if r['first'] != nxt or s != hx(vmas[nxt]['start']) or \
           e != hx(vmas[nxt + r['count'] - 1]['end']) or s != prev_end:
            bad('row %s-%s is not VMAs %d.. in order' % (r['start'], r['end'], nxt))
            return
        nxt, prev_end = nxt + r['count'], e
        if r['type'] != ('group' if r['count'] > 1 else 'vma'):
            bad('row %s-%s: type %s with %d VMAs' % (r['start'], r['end'], r['type'], r['count']))
        states = page_states(snap, s, e)
        nb = min(atlas['bins'], len(states))
        want = strip_of(states, nb)
        if r['strip'] != want:
            bad('row %s-%s: strip\n %r, want\n %r' % (r['start'], r['end'], r['strip'], want))
        p = r['pages']
        got = (p['present'], p['huge'], p['swap'], p['other'], p['none'])
        want = (sum(c in 'pHSX' for c in states), sum(c in 'HX' for c in states),
                states.count('s'), states.count('o'), states.count('.'))
        if snap.get('sharing'):
            got += (p['shared'],)
            want += (sum(c in 'SX' for c in states),)
        if got != want:
            bad('row %s-%s: pages %s, want %s' % (r['start'], r['end'], got, want))
    if nxt != len(vmas):
        bad('rows hold %d of %d VMAs' % (nxt, len(vmas)))
    if trace_path:
        # A trace from before events named their process: all the snapshot's.
        every = json.load(open(trace_path))['events']
        events = [hx(e['addr']) for e in every if e.get('pid', snap['pid']) == snap['pid']]
        for r in user:
            s, e = hx(r['start']), hx(r['end'])
            n, nb = (e - s) // ps, len(r['strip'])
            want = [0] * nb
            for a in events:
                if s <= a < e:
                    want[(a - s) // ps * nb // n] += 1
            if r['faults'] != want:
                bad('row %s-%s: faults %s, want %s' % (r['start'], r['end'], r['faults'], want))
        out = sum(not any(hx(r['start']) <= a < hx(r['end']) for r in user) for a in events)
        out += len(every) - len(events)
        if atlas['faults'] != {'in_rows': len(every) - out, 'outside': out}:
            bad('faults %s, want %d in rows, %d outside' % (atlas['faults'], len(every) - out, out))


class Dom(html.parser.HTMLParser):
    """The elements of the dumped page that say what they show."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.data, self.panel, self.stack = [], None, '', [], []
        self.in_data = self.in_panel = False
        # The clicked group's list (#members): its data-row and its lines.
        self.members_attrs, self.members, self.in_members = {}, [], False
        self.svg, self.text = None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get('class', '').split()
        if tag == 'svg' and self.svg is None:
            self.svg = a
        if tag == 'g' and 'row' in cls:
            self.row = {'type': cls[1], 'start': a['data-start'], 'end': a['data-end'],
                        'id': int(a['data-row']), 'bins': [], 'faults': [], 'label': '',
                        'bar': None}
            self.rows.append(self.row)
        if tag == 'rect' and self.row is not None:
            if 'bin' in cls:
                self.row['bins'].append((a['data-state'], a['data-bins'], a))
            elif 'fault' in cls:
                self.row['faults'].append((int(a['data-bin']), int(a['data-n'])))
            elif 'bar' in cls:
                self.row['bar'] = a
        if tag == 'text' and 'label' in cls:
            self.text = ['label']
        if tag == 'script' and a.get('id') == 'atlas-data':
            self.in_data = True
        if tag == 'div' and a.get('id') == 'panel':
            self.in_panel = True
            self.panel_attrs = a
        if self.in_panel and tag == 'tr' and 'level' in cls:
            self.panel.append([])
        if self.in_panel:
            self.stack.append(tag)
        if tag == 'div' and a.get('id') == 'members':
            self.in_members = True
            self.members_attrs = a
        if self.in_members and tag == 'li':
            self.members.append('')

    def handle_endtag(self, tag):
        if tag == 'g':
            self.row = None
        if tag == 'text':
            self.text = []
        if tag == 'script':
            self.in_data = False
        if self.in_panel:
            if self.stack:
                self.stack.pop()
            if tag == 'div' and not self.stack:
                self.in_panel = False
        elif tag == 'div' and self.in_members:
            self.in_members = False

    def handle_data(self, d):
        if self.in_data:
            self.data += d
        if self.text and self.row is not None:
            self.row['label'] += d
        if self.in_panel and self.stack and self.stack[-1] == 'td' and self.panel:
            self.panel[-1].append(d)
        if self.in_members and self.members:
            self.members[-1] += d


def dom(dom_path, atlas_path, addr=None):
    d = Dom()
    d.feed(open(dom_path).read())
    atlas = json.load(open(atlas_path))
    if json.loads(d.data) != atlas:
        bad('the data in the page is not the atlas --json printed')
    drawn = sorted(d.rows, key=lambda r: r['id'])
    if [(r['start'], r['end']) for r in drawn] != \
       [(r['start'], r['end']) for r in atlas['rows']]:
        bad('the page draws %d rows, the data has %d, or not the same' %
            (len(drawn), len(atlas['rows'])))
        return d
    if [r['id'] for r in d.rows] != sorted((r['id'] for r in d.rows), reverse=True):
        bad('rows are not drawn top down from the highest address')
    for g, r in zip(drawn, atlas['rows']):
        if g['type'] != r['type']:
            bad('row %s drawn as %s, is %s' % (r['start'], g['type'], r['type']))
        if r['strip'] is None:
            continue
        strip = ['.'] * len(r['strip'])
        for state, span, _ in g['bins']:
            i, j = map(int, span.split('-'))
            strip[i:j] = state * (j - i)
        if ''.join(strip) != r['strip']:
            bad('row %s: the page shows strip\n %r, the data\n %r' %
                (r['start'], ''.join(strip), r['strip']))
        want = [(i, n) for i, n in enumerate(r['faults'] or []) if n]
        if sorted(g['faults']) != want:
            bad('row %s: fault marks %s, data %s' % (r['start'], g['faults'], want))
        v = atlas['vmas'][r['first']]
        name = v['path'][-40:] or '[%s]' % v['kind']
        if r['type'] == 'vma' and name not in g['label']:
            bad('row %s: label %r does not name %r' % (r['start'], g['label'], name))
    if addr is not None:
        check_panel(d, atlas, addr)
    return d


def cell_of(atlas, addr):
    """The row and hover cell holding addr, as the tool bins pages."""
    ps = atlas['page_size']
    for r, row in enumerate(atlas['rows']):
        if row['strip'] is None or not hx(row['start']) <= addr < hx(row['end']):
            continue
        s, nb, nc = hx(row['start']), len(row['strip']), row['cells']
        b = (addr - s) // ps * nb // ((hx(row['end']) - s) // ps)
        return r, max(c for c in range(nc) if c * nb // nc <= b)
    return None


def check_members(d, atlas, addr):
    """#addr=ADDR in a group lists the group's VMAs, in order; else nothing."""
    hit = cell_of(atlas, addr)
    row = atlas['rows'][hit[0]] if hit else None
    if not row or row['type'] != 'group':
        if d.members_attrs.get('data-row') is not None or d.members:
            bad('#addr=%#x: not in a group, yet a list of %d VMAs' % (addr, len(d.members)))
        return
    want = ['%s-%s %s %s' % (v['start'], v['end'], v['perms'], v['path'] or '[%s]' % v['kind'])
            for v in atlas['vmas'][row['first']:row['first'] + row['count']]]
    if int(d.members_attrs.get('data-row', -1)) != hit[0] or d.members != want:
        bad('#addr=%#x: the list of row %s is %s, its group has %s' %
            (addr, d.members_attrs.get('data-row'), d.members[:3], want[:3]))


def check_panel(d, atlas, addr):
    """The walk the page shows for #addr=ADDR: the cell's, level by level."""
    check_members(d, atlas, addr)
    hit = cell_of(atlas, addr)
    if hit and not atlas['rows'][hit[0]]['walks']:
        return  # drawn from a snapshot: no walk to show
    r = int(d.panel_attrs.get('data-row', -1))
    c = int(d.panel_attrs.get('data-cell', -1))
    if (r, c) != cell_of(atlas, addr):
        bad('#addr=%#x: the page shows row %d cell %d, not %s' % (addr, r, c,
                                                                 cell_of(atlas, addr)))
        return
    row = atlas['rows'][r]
    walk = row['walks'][c]
    want = [[lv['level'], str(lv['index']), lv['entry']] for lv in walk['levels']]
    got = [cells[:3] for cells in d.panel]
    if got != want:
        bad('#addr=%#x: the page shows levels %s, the data %s' % (addr, got, want))


def png_pixels(path):
    """Decode an 8-bit RGB(A) PNG: (width, height, rows of bytes, bytes a pixel)."""
    raw = open(path, 'rb').read()
    assert raw[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat, w = 8, b'', 0
    while pos < len(raw):
        n, kind = struct.unpack('>I4s', raw[pos:pos + 8])
        body = raw[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
            assert depth == 8 and ctype in (2, 6)
            bpp = 3 if ctype == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    data, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = data[y * (stride + 1)], bytearray(data[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, rows, bpp


def png(png_path, dom_path):
    """Where the DOM puts a bin or a bar, the screenshot has its colour."""
    d = Dom()
    d.feed(open(dom_path).read())
    w, h, rows, bpp = png_pixels(png_path)
    checked = 0
    for g in d.rows:
        marks = [(FILL[s], a) for s, _, a in g['bins'] if s in FILL]
        # A bar's own colour shows between the fault marks and the strip.
        if g['bar'] is not None and g['type'] in ('vma', 'region'):
            marks.append((tuple(int(g['bar']['fill'][i:i + 2], 16) for i in (1, 3, 5)),
                          dict(g['bar'], height='12')))
        for colour, a in marks:
            x, y = float(a['x']) + float(a['width']) / 2, float(a['y']) + float(a['height']) / 2
            if float(a['width']) < 3 or y >= h - 1 or x >= w - 1:
                continue
            px = tuple(rows[int(y)][int(x) * bpp:int(x) * bpp + 3])
            if max(abs(p - q) for p, q in zip(px, colour)) > 8:
                bad('screenshot at (%d, %d): %s, the page says %s' % (x, y, px, colour))
            checked += 1
    if checked < 10:
        bad('only %d marks of the page were in the screenshot' % checked)


def main():
    cmd = sys.argv[1]
    if cmd == 'gen':
        gen(sys.argv[2], int(sys.argv[3]))
    elif cmd == 'model':
        model(*sys.argv[2:5])
    elif cmd == 'dom':
        dom(sys.argv[2], sys.argv[3], hx(sys.argv[4]) if len(sys.argv) > 4 else None)
    elif cmd == 'addr':
        # An address in a cell past the first of a row with walks: a walk's own.
        atlas = json.load(open(sys.argv[2]))
        for row in atlas['rows']:
            for w in (row['walks'] or [])[1:]:
                if w and w['present']:
                    print(w['addr'])
                    return
    elif cmd == 'group':
        # An address inside a group, in its second VMA.
        atlas = json.load(open(sys.argv[2]))
        for row in atlas['rows']:
            if row['type'] == 'group':
                print(atlas['vmas'][row['first'] + 1]['start'])
                return
    elif cmd == 'png':
        png(sys.argv[2], sys.argv[3])
    for e in errors[:20]:
        print(e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
