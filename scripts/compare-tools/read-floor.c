/* read-floor: the floor for anything that must see every byte of a mail store.
 *
 * Walks each PATH (Maildir++ dot-folders included), and reads every regular file in a cur/ or
 * new/ folder (and every other regular file given or found outside a Maildir, such as mbox files)
 * once, with one read(2) loop into a reused 1 MiB buffer, on one thread. Prints the number of
 * files and bytes. Built and run by scripts/compare-tools.sh:
 *
 *   gcc -O2 -o read-floor read-floor.c && ./read-floor /tmp/store/Maildir
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buffer[1 << 20];

/* A message file of a Maildir: its folder is cur/ or new/. Files beside them (dovecot-uidlist,
 * index caches) are not mail. Outside a Maildir every file counts. */
static int is_mail(FTSENT *entry) {
    FTSENT *parent = entry->fts_parent;
    if (parent == NULL || parent->fts_level < 0) return 1;
    if (strcmp(parent->fts_name, "cur") == 0 || strcmp(parent->fts_name, "new") == 0) return 1;
    return entry->fts_level == 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: read-floor PATH...\n");
        return 2;
    }
    FTS *fts = fts_open(argv + 1, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
    if (fts == NULL) { perror("fts_open"); return 1; }
    long long files = 0, bytes = 0;
    FTSENT *entry;
    while ((entry = fts_read(fts)) != NULL) {
        if (entry->fts_info != FTS_F || !is_mail(entry)) continue;
        int fd = open(entry->fts_accpath, O_RDONLY | O_CLOEXEC);
        if (fd < 0) { perror(entry->fts_path); continue; }
        ssize_t n;
        while ((n = read(fd, buffer, sizeof buffer)) > 0) bytes += n;
        close(fd);
        files++;
    }
    fts_close(fts);
    printf("%lld files, %lld bytes\n", files, bytes);
    return 0;
}
