"""Open data in and out: HSDS 3.0 export and import, Suomi.fi PTV import.

- `hsds` turns directory records into HSDS 3.0 objects (export files and the
  `/api/hsds/` API share it), built from directory.visibility's public
  representations only.
- `hsds_import` and `ptv` read files into plans (plain data, checked record by
  record without writing anything); `importing` writes valid plans in one
  transaction and reports what happened.

See docs/directory.md, "Open data: HSDS and PTV".
"""
