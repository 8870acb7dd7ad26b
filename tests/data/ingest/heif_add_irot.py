"""heif_add_irot.py IN OUT ANGLE - add an 'irot' property (ANGLE quarter
turns anticlockwise; 3 = a quarter clockwise) to the primary image of a
small single-image HEIC as heif-enc writes it: the property goes into ipco,
its association into ipma, the box sizes and the iloc offsets into mdat
grow by what was inserted. Test-data recipe only (see make_heic.sh)."""
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
angle = int(sys.argv[3])

def boxes(buf, start, end):
    at = start
    while at < end:
        size, kind = struct.unpack('>I4s', buf[at:at+8])
        yield at, size, kind.decode()
        at += size

top = {k: (a, s) for a, s, k in boxes(data, 0, len(data))}
meta_at, meta_size = top['meta']
children = {k: (a, s) for a, s, k in boxes(data, meta_at + 12, meta_at + meta_size)}
iprp_at, iprp_size = children['iprp']
sub = {k: (a, s) for a, s, k in boxes(data, iprp_at + 8, iprp_at + iprp_size)}
ipco_at, ipco_size = sub['ipco']
ipma_at, ipma_size = sub['ipma']
nprops = len(list(boxes(data, ipco_at + 8, ipco_at + ipco_size)))
irot = struct.pack('>I4sB', 9, b'irot', angle & 3)
# ipma (version 0, flags 0): entry_count, then item_ID(16) count(8) assoc(8)...
pitm_at, _ = children['pitm']
primary = struct.unpack('>H', data[pitm_at+12:pitm_at+14])[0]
assert data[ipma_at+8:ipma_at+12] == b'\0\0\0\0'
count = struct.unpack('>I', data[ipma_at+12:ipma_at+16])[0]
p = ipma_at + 16
body = b''
for _ in range(count):
    item, n = struct.unpack('>HB', data[p:p+3])
    assocs = bytes(data[p+3:p+3+n])
    p += 3 + n
    if item == primary:
        assocs += bytes([0x80 | (nprops + 1)])  # essential, 1-based
    body += struct.pack('>HB', item, len(assocs)) + assocs
ipma = struct.pack('>I4s4sI', 0, b'ipma', b'\0\0\0\0', count) + body
ipma = struct.pack('>I', len(ipma)) + ipma[4:]
grow = len(irot) + len(ipma) - ipma_size
out = bytearray(data[:ipco_at + ipco_size]) + irot + ipma + data[ipma_at + ipma_size:]
def bump(at, by):
    s = struct.unpack('>I', out[at:at+4])[0]
    out[at:at+4] = struct.pack('>I', s + by)
bump(ipco_at, len(irot))
bump(iprp_at, grow)
bump(meta_at, grow)
# iloc (version 0 or 1) extents hold absolute offsets into mdat, after meta.
iloc_at, iloc_size = children['iloc']
v = out[iloc_at + 8]
b1, b2 = out[iloc_at+12], out[iloc_at+13]
off_size, len_size, base_size = b1 >> 4, b1 & 15, b2 >> 4
idx_size = b2 & 15 if v in (1, 2) else 0
p = iloc_at + 14
cnt = struct.unpack('>H', out[p:p+2])[0]; p += 2
for _ in range(cnt):
    p += 2
    method = 0
    if v in (1, 2):
        method = struct.unpack('>H', out[p:p+2])[0] & 15
        p += 2
    p += 2
    base = int.from_bytes(out[p:p+base_size], 'big') if base_size else 0
    if base_size and method == 0:
        out[p:p+base_size] = (base + grow).to_bytes(base_size, 'big')
    p += base_size
    ext = struct.unpack('>H', out[p:p+2])[0]; p += 2
    for _ in range(ext):
        p += idx_size
        if not base_size and method == 0:
            o = int.from_bytes(out[p:p+off_size], 'big')
            out[p:p+off_size] = (o + grow).to_bytes(off_size, 'big')
        p += off_size + len_size
open(sys.argv[2], 'wb').write(out)
