// SPDX-License-Identifier: GPL-2.0
/*
 * explain shared: one object, two processes, two addresses, one set of
 * frames. A child maps MAP_SHARED anonymous memory and forks; the forked
 * child moves its copy elsewhere with mremap(): the frames are the same,
 * mapped twice, and a write on one side is read on the other, with no copy.
 * Then a file mapped MAP_SHARED by each process on its own: the page cache's
 * frames, again the same in both.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "explain.h"

#define SHARED_PAGES	4

struct shared {
	unsigned long long page;
	int fd;				/* the file, unlinked */
	char *shm;			/* where this process maps the anonymous memory */
	struct story_child child;	/* the parent's: the forked one */
};

/* A fresh range of twice @len, mapped PROT_NONE: its first half is free to map over. */
static void *shared_room(size_t len)
{
	void *r = mmap(NULL, 2 * len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return r == MAP_FAILED ? NULL : r;
}

/* Read each page at @p: map the shared object's frames here. */
static void shared_read(const char *p, unsigned long long page)
{
	int i;

	for (i = 0; i < SHARED_PAGES; i++)
		(void)__atomic_load_n(p + i * page, __ATOMIC_RELAXED);
}

/*
 * The forked child: 'm' moves its anonymous memory, 't' reads it, 'w' writes
 * it, 'f' maps the file and reads it.
 */
static unsigned long long shared_forked(void *arg, char cmd)
{
	struct shared *s = arg;
	size_t len = SHARED_PAGES * s->page;
	void *r, *p;

	switch (cmd) {
	case 'm':
		r = shared_room(len);
		p = r ? mremap(s->shm, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, r) : MAP_FAILED;
		if (p == MAP_FAILED)
			return 0;
		s->shm = p;
		return (unsigned long)p;
	case 'f':
		r = shared_room(len);
		p = r ? mmap(r, len, PROT_READ, MAP_SHARED | MAP_FIXED, s->fd, 0) : MAP_FAILED;
		if (p == MAP_FAILED)
			return 0;
		shared_read(p, s->page);
		return (unsigned long)p;
	case 't':
		shared_read(s->shm, s->page);
		return 1;
	case 'w':
		s->shm[0] = 'b';
		return 1;
	}
	return 1;
}

/* A file of SHARED_PAGES pages, unlinked at once; -errno. */
static int shared_file(unsigned long long page)
{
	const char *dir = getenv("TMPDIR") ?: "/tmp";
	char path[256], *buf;
	int fd, ok;

	snprintf(path, sizeof(path), "%s/vmatlas-shared-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	unlink(path);
	buf = malloc(page);
	ok = !!buf;
	for (int i = 0; ok && i < SHARED_PAGES; i++) {
		memset(buf, 'A' + i, page);
		ok = write(fd, buf, page) == (ssize_t)page;
	}
	free(buf);
	if (!ok) {
		close(fd);
		return -EIO;
	}
	return fd;
}

/*
 * The parent: 0 maps and writes the anonymous memory (its address), 'f'
 * forks, 'm', 'F' and 'w' have the forked child act, 'a' maps the file
 * here, 'r' reads the first byte of the anonymous memory.
 */
static unsigned long long shared_parent(void *arg, char cmd)
{
	struct shared *s = arg;
	size_t len = SHARED_PAGES * s->page;
	unsigned long long v = 0;
	void *p;

	switch (cmd) {
	case 0:
		s->fd = shared_file(s->page);
		s->shm = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (s->fd < 0 || s->shm == MAP_FAILED)
			return 0;
		memset(s->shm, 'a', len);
		return (unsigned long)s->shm;
	case 'f':
		return story_child_start(&s->child, shared_forked, s, &v) ? 0 : s->child.pid;
	case 'm':
	case 't':
	case 'w':
		return story_child_do(&s->child, cmd, &v) ? 0 : v;
	case 'F':
		return story_child_do(&s->child, 'f', &v) ? 0 : v;
	case 'a':
		p = mmap(NULL, len, PROT_READ, MAP_SHARED, s->fd, 0);
		if (p == MAP_FAILED)
			return 0;
		shared_read(p, s->page);
		return (unsigned long)p;
	case 'r':
		return s->shm[0];
	}
	return 0;
}

/*
 * The pages at @a in @pa and @b in @pb: how many share a frame, are mapped
 * twice, and are anonymous.
 */
static int shared_compare(struct story *st, pid_t pa, unsigned long long a, pid_t pb,
			  unsigned long long b, unsigned int *same, unsigned int *twice,
			  unsigned int *anon)
{
	struct story_page x, y;
	int i, err;

	*same = *twice = *anon = 0;
	for (i = 0; i < SHARED_PAGES; i++) {
		err = story_page(st, pa, a + i * st->page_size, &x);
		if (!err)
			err = story_page(st, pb, b + i * st->page_size, &y);
		if (err)
			return err;
		*same += x.present && y.present && x.pfn == y.pfn;
		*twice += x.mapcount == 2 && y.mapcount == 2;
		*anon += !!(x.pg_flags & VMATLAS_PG_ANON);
	}
	return 0;
}

static int shared_run(struct story *st)
{
	struct shared s = { .page = st->page_size, .fd = -1 };
	unsigned long long x, y, pid, v, fa, fb;
	unsigned int same, twice, anon;
	struct story_page before, after;
	struct story_child parent;
	int err;

	err = story_child_start(&parent, shared_parent, &s, &x);
	if (err)
		return err;
	err = x ? story_child_do(&parent, 'f', &pid) : -ENOMEM;
	if (!err)
		err = story_child_do(&parent, 'm', &y);
	if (!err && (!pid || !y))
		err = -ENOMEM;
	if (!err)
		err = story_page(st, pid, y, &before);
	if (!err)
		err = story_child_do(&parent, 't', &v);
	if (!err)
		err = shared_compare(st, parent.pid, x, pid, y, &same, &twice, &anon);
	if (err)
		goto out;
	story_say(st, "A child maps %d pages MAP_SHARED|MAP_ANONYMOUS at 0x%llx, writes them, and",
		  SHARED_PAGES, x);
	story_say(st, "forks; the forked child moves its mapping to 0x%llx with mremap(). Page 0",
		  y);
	story_say(st, "is %s there: fork() %s.", before.present ? "present" : "not present yet",
		  before.present ? "copied its entry" : "copies no entries of shared memory");
	story_say(st, "\nThe forked child reads its %d pages:", SHARED_PAGES);
	story_check(st, x != y && same == SHARED_PAGES,
		    "two addresses, the same frames: %u of %d pages", same, SHARED_PAGES);
	story_check(st, twice == SHARED_PAGES, "each frame mapped twice: %u of %d pages", twice,
		    SHARED_PAGES);

	err = story_page(st, parent.pid, x, &before);
	if (!err)
		err = story_child_do(&parent, 'w', &v);
	if (!err)
		err = story_child_do(&parent, 'r', &v);
	if (!err)
		err = story_page(st, pid, y, &after);
	if (err)
		goto out;
	story_say(st, "\nThe forked child writes 'b' at 0x%llx; its parent reads 0x%llx:", y, x);
	story_check(st, v == 'b', "it reads '%c'", (char)v);
	story_check(st, after.pfn == before.pfn, "no copy was made: frame 0x%llx, as before",
		    after.pfn);

	err = story_child_do(&parent, 'a', &fa);
	if (!err)
		err = story_child_do(&parent, 'F', &fb);
	if (!err && (!fa || !fb))
		err = -ENOMEM;
	if (!err)
		err = shared_compare(st, parent.pid, fa, pid, fb, &same, &twice, &anon);
	if (err)
		goto out;
	story_say(st, "\nA file of %d pages, mapped MAP_SHARED by each on its own: at 0x%llx",
		  SHARED_PAGES, fa);
	story_say(st, "in the parent, at 0x%llx in the forked child.", fb);
	story_check(st, fa != fb && same == SHARED_PAGES && !anon,
		    "the same page-cache frames: %u of %d pages, %u anonymous", same,
		    SHARED_PAGES, anon);
	story_check(st, twice == SHARED_PAGES, "each mapped twice: %u of %d pages", twice,
		    SHARED_PAGES);
out:
	story_child_stop(&parent);
	return err;
}

const struct scenario scenario_shared = {
	.name = "shared",
	.claim = "shared memory and shared files map the same frames into each process",
	.run = shared_run,
};
