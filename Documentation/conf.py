# SPDX-License-Identifier: GPL-2.0
#
# Sphinx: the HTML documentation ("make docs") and the manual page vmatlas(1)
# ("make man", installed by "make install") come from the same files.
import os

project = 'vmatlas'
author = 'the vmatlas developers'
with open(os.path.join(os.path.dirname(__file__), '..', 'VERSION')) as f:
    version = release = f.read().strip()

master_doc = 'index'
exclude_patterns = ['plans']
highlight_language = 'none'

man_pages = [
    ('tool', 'vmatlas', 'see virtual memory on a live Linux kernel',
     [author], 1),
]
