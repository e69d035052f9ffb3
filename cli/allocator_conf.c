/*
** jemalloc's options, built into the program (jemalloc reads this symbol
** when it starts, before main; MALLOC_CONF in the environment still
** applies after it). The heap and jemalloc's own metadata on transparent
** huge pages (where the kernel offers them, "madvise" or "always"): a run
** touches tens of megabytes of fresh heap, and each 4 KiB page cost a page
** fault of about 10 microseconds on the virtual machines measured, a tenth
** of the CPU of a small run. One arena for every thread (jemalloc makes
** four per CPU): each arena fills huge pages of its own, and the kernel
** zeroes a whole 2 MiB page for each; the threads' caches keep the one
** arena's lock rarely taken (docs/DECISIONS.md).
*/
const char *malloc_conf = "thp:always,metadata_thp:always,narenas:1";
