"""The uploaded files, wherever the default storage keeps them: the local disk or a bucket.

Backups read them and restores write them back through the storage's own API, so that the
same commands serve MEDIA_ROOT and object storage (docs/operators.md, "Backups").
"""

import posixpath


def stored_names(storage, folder=""):
    """Yield the name of every file in `storage` under `folder`, in its subfolders too."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # nothing uploaded yet: the local disk has no media folder
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from stored_names(storage, posixpath.join(folder, name))
