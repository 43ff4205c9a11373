#!/usr/bin/env python3
"""make_bad.py - damaged Parquet files for tests/data/bad-parquet, each with
the text its error message must contain (NAME.expect). The base files are
written by auk from a 4-row CSV:
  auk convert base.csv base.parquet; auk convert --compression none base.csv base_plain.parquet
  python3 make_bad.py base.parquet base_plain.parquet OUT_DIR"""
import struct
import sys

snappy, plain, out = sys.argv[1], sys.argv[2], sys.argv[3]
S = open(snappy, 'rb').read()
P = open(plain, 'rb').read()


def footer(d):
    n = struct.unpack('<I', d[-8:-4])[0]
    return len(d) - 8 - n, d[len(d) - 8 - n:-8]


def with_footer(d, meta):
    start, _ = footer(d)
    return d[:start] + meta + struct.pack('<I', len(meta)) + b'PAR1'


def varint(v):
    b = bytearray()
    while v >= 0x80:
        b.append(v & 0x7F | 0x80)
        v >>= 7
    b.append(v)
    return bytes(b)


def zz(v):
    return varint((v << 1) ^ (v >> 63))


def save(name, data, expect):
    open(f'{out}/{name}.parquet', 'wb').write(data)
    open(f'{out}/{name}.expect', 'w').write(expect + '\n')


save('empty', b'', 'too short')
save('truncated', S[:len(S) // 2], 'does not end with the magic bytes PAR1')
save('wrong_magic', b'PAR2' + S[4:], 'wrong magic')
save('csv_file', b'id,name\n1,ann\n2,bob\n3,cid\n', 'not a Parquet file')
save('footer_too_long', S[:-8] + struct.pack('<I', 1 << 30) + b'PAR1',
     'metadata length')
start, meta = footer(S)
save('corrupt_metadata', with_footer(S, meta[:len(meta) // 3]), 'corrupt metadata')
save('garbage_metadata', with_footer(S, bytes([0xFF]) * len(meta)), 'corrupt metadata')
# The root's num_children (after the name "schema") claims more columns.
i = meta.index(b'schema') + 6
assert meta[i] == 0x15
save('schema_children', with_footer(S, meta[:i + 1] + zz(9) + meta[i + 2:]), 'schema')
# The first column's data_page_offset (field 9, the second 0x26 0x08 of the
# footer: the first is the chunk's file_offset) points past the end.
k = meta.index(b'\x26\x08', meta.index(b'\x26\x08') + 1)
save('offset_past_end', with_footer(S, meta[:k + 1] + zz(10**9) + meta[k + 2:]),
     'lies outside the file')
# The first page header: type, uncompressed size, compressed size (i32s).
assert P[4:6] == b'\x15\x00' and P[6] == 0x15
def page_sizes(d):
    p = 7
    while d[p] & 0x80: p += 1
    u_end = p + 1
    assert d[u_end] == 0x15
    p = u_end + 1
    while d[p] & 0x80: p += 1
    return 7, u_end, u_end + 1, p + 1
us, ue, cs, ce = page_sizes(P)
# A compressed size past its column chunk (same varint length: 1 byte -> 2 bytes would shift)
big = bytearray(P)
big[cs:ce] = bytes([0x7E]) if ce - cs == 1 else big[cs:ce]
save('page_past_chunk', bytes(big), 'runs past the end of its column chunk')
# Uncompressed page whose declared sizes disagree.
odd = bytearray(P)
odd[us:ue] = bytes([odd[us] + 2]) if ue - us == 1 else odd[us:ue]
save('page_size_mismatch', bytes(odd), 'declares')
# Snappy page declaring a larger decompressed size than it holds.
us, ue, cs, ce = page_sizes(S)
big = bytearray(S)
big[us:ue] = bytes([big[us] + 8]) if ue - us == 1 else big[us:ue]
save('snappy_size_mismatch', bytes(big), 'header declares')
# Garbage where the first page header should be.
g = bytearray(S)
g[4:10] = b'\xff' * 6
save('page_header_garbage', bytes(g), 'page header')
# Snappy data damaged.
g = bytearray(S)
_, _, _, ce = page_sizes(S)
hdr_end = S.index(b'\x00\x00', ce) + 2
g[hdr_end:hdr_end + 4] = b'\xff\xff\xff\xff'
save('snappy_damaged', bytes(g), 'SNAPPY')
