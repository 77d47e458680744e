/*
 * C shims between Swift (KefuTerminal/LineEditor.swift) and libedit.
 *
 * Why this file exists:
 *  - el_set/el_wset/el_get/history_w are C variadic functions, which Swift
 *    cannot call; each use gets a fixed-signature static inline wrapper here.
 *  - Swift 6 language mode rejects the stdin/stdout/stderr globals, so el_init
 *    is called from C.
 *  - Signal handlers must be plain C and may only touch volatile sig_atomic_t.
 *
 * The static state below gets one copy per translation unit (per Swift file
 * in non-WMO builds) that uses it. Keep every use of this module inside a
 * single Swift file (LineEditor.swift) so handlers and getters share a copy.
 */
#ifndef KEFU_CEDITLINE_SHIM_H
#define KEFU_CEDITLINE_SHIM_H

#include <histedit.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <stdio.h>
#include <signal.h>
#include <pthread.h>
#include <unistd.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>

/* Prompt callback for the wide API (el_wpfunc_t is not in the public header). */
typedef wchar_t *(*kefu_el_prompt_fn)(EditLine *);
/* User editor function for EL_ADDFN; returns one of the CC_* codes. */
typedef unsigned char (*kefu_el_command_fn)(EditLine *, int);

/* ---------- locale ---------- */

/* libedit never calls setlocale; without it multibyte input is dropped.
 * Only LC_CTYPE is touched so number formatting etc. stays untouched.
 * Returns 1 when the resulting codeset is UTF-8. Call before el_init. */
static inline int kefu_el_setup_locale(void) {
    const char *codeset;
    setlocale(LC_CTYPE, "");
    codeset = nl_langinfo(CODESET);
    if (codeset == NULL || strcmp(codeset, "UTF-8") != 0) {
        if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
            setlocale(LC_CTYPE, "en_US.UTF-8");
        }
    }
    codeset = nl_langinfo(CODESET);
    return codeset != NULL && strcmp(codeset, "UTF-8") == 0;
}

/* ---------- editor ---------- */

static inline EditLine *kefu_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

/* Prompt with a delimiter character: text between two delimiters is sent to
 * the terminal but does not count toward the cursor column (ANSI colours). */
static inline int kefu_el_set_prompt_esc(EditLine *el, kefu_el_prompt_fn fn, wchar_t delimiter) {
    return el_wset(el, EL_PROMPT_ESC, fn, delimiter);
}

static inline int kefu_el_set_editor_emacs(EditLine *el) {
    return el_wset(el, EL_EDITOR, L"emacs");
}

/* libedit restores the tty on SIGINT/SIGTERM/SIGHUP/SIGTSTP and handles
 * SIGWINCH/SIGCONT while el_wgets runs, then re-raises to our handlers. */
static inline int kefu_el_set_signal_handling(EditLine *el, int on) {
    return el_wset(el, EL_SIGNAL, on);
}

/* Puts the terminal in libedit's editing mode now. el_wgets does it too, but a prompt could reach the
 * screen while the terminal was still in cooked mode: what the customer typed then was echoed and held
 * by the terminal driver, not by libedit, so Ctrl-C could not clear it and a SIGTERM could be missed. */
static inline int kefu_el_prepare_terminal(EditLine *el) {
    return el_wset(el, EL_PREP_TERM, 1);
}

/* Must be el_wset: el_set(EL_HIST) marks the history as narrow. */
static inline int kefu_el_set_history(EditLine *el, HistoryW *h) {
    return el_wset(el, EL_HIST, history_w, h);
}

static inline int kefu_el_set_clientdata(EditLine *el, void *data) {
    return el_wset(el, EL_CLIENTDATA, data);
}

static inline void *kefu_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_wget(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

/* Registers fn under name and binds it to key (e.g. "^I"). */
static inline int kefu_el_add_function(EditLine *el, const char *name, const char *help,
                                       kefu_el_command_fn fn, const char *key) {
    if (el_set(el, EL_ADDFN, name, help, fn) != 0) return -1;
    return el_set(el, EL_BIND, key, name, NULL);
}

static inline int kefu_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, NULL);
}

/* libedit's emacs map binds ^R to ed-redisplay; users expect readline-style
 * reverse search. Also a few Home/End/Delete/Ctrl-arrow sequences that the
 * terminfo-driven bindings miss in some terminals (tmux, xterm variants). */
static inline void kefu_el_bind_readline_keys(EditLine *el) {
    el_set(el, EL_BIND, "^R", "em-inc-search-prev", NULL);
    el_set(el, EL_BIND, "\\e[1;5C", "em-next-word", NULL);
    el_set(el, EL_BIND, "\\e[1;5D", "ed-prev-word", NULL);
    el_set(el, EL_BIND, "\\e[H", "ed-move-to-beg", NULL);
    el_set(el, EL_BIND, "\\e[F", "ed-move-to-end", NULL);
    el_set(el, EL_BIND, "\\eOH", "ed-move-to-beg", NULL);
    el_set(el, EL_BIND, "\\eOF", "ed-move-to-end", NULL);
    el_set(el, EL_BIND, "\\e[1~", "ed-move-to-beg", NULL);
    el_set(el, EL_BIND, "\\e[4~", "ed-move-to-end", NULL);
    el_set(el, EL_BIND, "\\e[3~", "ed-delete-next-char", NULL);
}

/* Writes through the same stdio stream libedit uses, so output is ordered. */
static inline void kefu_el_write_stdout(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

/* ---------- history ---------- */

static inline int kefu_hist_setsize(HistoryW *h, int size) {
    HistEventW ev;
    return history_w(h, &ev, H_SETSIZE, size);
}

static inline int kefu_hist_setunique(HistoryW *h, int unique) {
    HistEventW ev;
    return history_w(h, &ev, H_SETUNIQUE, unique);
}

static inline int kefu_hist_enter(HistoryW *h, const wchar_t *line) {
    HistEventW ev;
    return history_w(h, &ev, H_ENTER, line);
}

/* Returns the number of entries read, or -1. */
static inline int kefu_hist_load(HistoryW *h, const char *path) {
    HistEventW ev;
    return history_w(h, &ev, H_LOAD, path);
}

/* Returns the number of entries written, or -1. */
/* H_SAVE ignores failed writes (a full disk gives an empty or cut file and success), so the history is
 * written through our own FILE and every step is checked: -1 unless all of it reached the disk. */
static inline int kefu_hist_save(HistoryW *h, const char *path) {
    HistEventW ev;
    FILE *file = fopen(path, "w");
    if (file == NULL) return -1;
    int saved = history_w(h, &ev, H_SAVE_FP, file);
    int failed = saved < 0 || fflush(file) != 0 || ferror(file) || fsync(fileno(file)) != 0;
    if (fclose(file) != 0) failed = 1;
    return failed ? -1 : saved;
}

/* ---------- signals ---------- */

/* State lives in function-local statics: a file-scope tentative definition
 * such as `static struct sigaction saved;` was not emitted when the header was
 * imported into Swift (undefined reference at link time), while statics
 * inside the emitted inline functions are.
 *
 * The flags are set by the handlers below and polled by Swift through the
 * getters. No SA_RESTART, so a blocked read() inside el_wgets fails with
 * EINTR and el_wgets returns NULL with count -1. */
static inline volatile sig_atomic_t *kefu_el_interrupt_flag(void) {
    static volatile sig_atomic_t flag = 0;
    return &flag;
}

static inline volatile sig_atomic_t *kefu_el_termination_flag(void) {
    static volatile sig_atomic_t signo = 0;
    return &signo;
}

enum { KEFU_EL_SAVED_SIGINT = 0, KEFU_EL_SAVED_SIGTERM = 1, KEFU_EL_SAVED_SIGHUP = 2 };

/* Previous handlers, restored when we are done with the signal. */
static inline struct sigaction *kefu_el_saved_action(int which) {
    static struct sigaction saved[3];
    return &saved[which];
}

/* installed[0]: SIGINT handler active; installed[1]: SIGTERM/SIGHUP active. */
static inline int *kefu_el_installed(int which) {
    static int installed[2] = {0, 0};
    return &installed[which];
}

/* The thread that reads lines. A process-directed signal may be delivered to any thread (the matcher
 * trains on a background thread); the handlers pass it on to the reader so its blocked read() returns
 * EINTR. pthread_kill is async-signal-safe. */
static inline pthread_t *kefu_el_reader_thread(void) {
    static pthread_t reader;
    return &reader;
}

static inline int kefu_el_forward_to_reader(int signo) {
    if (pthread_equal(pthread_self(), *kefu_el_reader_thread())) return 0;
    pthread_kill(*kefu_el_reader_thread(), signo);
    return 1;
}

static void kefu_el_on_sigint(int signo) {
    *kefu_el_interrupt_flag() = 1;
    kefu_el_forward_to_reader(signo);
}

static void kefu_el_on_termination(int signo) {
    *kefu_el_termination_flag() = signo;
    kefu_el_forward_to_reader(signo);
}

static inline int kefu_el_install_one(int signo, void (*handler)(int), struct sigaction *saved) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* deliberately no SA_RESTART */
    return sigaction(signo, &sa, saved);
}

/* SIGINT is caught only while a line is being read, so Ctrl-C elsewhere keeps
 * its usual meaning for the rest of the program. */
static inline int kefu_el_install_sigint(void) {
    if (*kefu_el_installed(0)) return 0;
    *kefu_el_reader_thread() = pthread_self();
    if (kefu_el_install_one(SIGINT, kefu_el_on_sigint,
                            kefu_el_saved_action(KEFU_EL_SAVED_SIGINT)) != 0) return -1;
    *kefu_el_installed(0) = 1;
    return 0;
}

static inline void kefu_el_restore_sigint(void) {
    if (!*kefu_el_installed(0)) return;
    sigaction(SIGINT, kefu_el_saved_action(KEFU_EL_SAVED_SIGINT), NULL);
    *kefu_el_installed(0) = 0;
}

/* SIGTERM/SIGHUP are caught for the editor's whole life, so a request to quit
 * that arrives between reads is still seen by the next readLine. */
static inline int kefu_el_install_termination(void) {
    if (*kefu_el_installed(1)) return 0;
    *kefu_el_reader_thread() = pthread_self();
    if (kefu_el_install_one(SIGTERM, kefu_el_on_termination,
                            kefu_el_saved_action(KEFU_EL_SAVED_SIGTERM)) != 0) return -1;
    if (kefu_el_install_one(SIGHUP, kefu_el_on_termination,
                            kefu_el_saved_action(KEFU_EL_SAVED_SIGHUP)) != 0) {
        sigaction(SIGTERM, kefu_el_saved_action(KEFU_EL_SAVED_SIGTERM), NULL);
        return -1;
    }
    *kefu_el_installed(1) = 1;
    return 0;
}

static inline void kefu_el_restore_termination(void) {
    if (!*kefu_el_installed(1)) return;
    sigaction(SIGTERM, kefu_el_saved_action(KEFU_EL_SAVED_SIGTERM), NULL);
    sigaction(SIGHUP, kefu_el_saved_action(KEFU_EL_SAVED_SIGHUP), NULL);
    *kefu_el_installed(1) = 0;
}

static inline int kefu_el_interrupt_pending(void) { return *kefu_el_interrupt_flag() != 0; }
static inline void kefu_el_clear_interrupt(void) { *kefu_el_interrupt_flag() = 0; }
/* 0 when no SIGTERM/SIGHUP has arrived, else the signal number. */
static inline int kefu_el_termination_signal(void) { return (int)*kefu_el_termination_flag(); }

/* ---------- reading ---------- */

/* libedit's own reader blocks in read() and relies on EINTR to notice a signal. That EINTR can be lost:
 * with EL_SIGNAL, libedit's handler re-raises the signal with kill(0), and a signal handled while the
 * reader was not inside read() (redrawing the line, or on another thread) leaves the next read() blocked
 * for good, so SIGTERM did not end the session. This reader waits in 100 ms slices and checks the flags
 * the handlers set before each read, so a termination or Ctrl-C always ends el_wgets (count -1, EINTR).
 * Bytes are decoded with the locale's codeset, as libedit's reader does: an invalid sequence is dropped
 * (keeping its last byte, which may start the next character). Returns 1, 0 at end of input, -1. */
static int kefu_el_read_char(EditLine *el, wchar_t *wc) {
    (void)el;
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    for (;;) {
        if (*kefu_el_termination_flag() != 0 || *kefu_el_interrupt_flag() != 0) {
            errno = EINTR;
            return -1;
        }
        struct pollfd input = { .fd = STDIN_FILENO, .events = POLLIN, .revents = 0 };
        int ready = poll(&input, 1, 100);
        if (ready < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (ready == 0) continue;
        ssize_t got = read(STDIN_FILENO, bytes + count, 1);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        if (got == 0) return 0;
        count += 1;
        for (;;) {
            mbstate_t state;
            memset(&state, 0, sizeof state);
            size_t used = mbrtowc(wc, bytes, count, &state);
            if (used == (size_t)-2 && count < MB_LEN_MAX) break; /* needs more bytes */
            if (used == (size_t)-1 || used == (size_t)-2) {
                if (count > 1) { /* retry the last byte alone */
                    bytes[0] = bytes[count - 1];
                    count = 1;
                    continue;
                }
                count = 0;
                break;
            }
            if (used == 0) *wc = L'\0';
            return 1;
        }
    }
}

static inline int kefu_el_use_own_reader(EditLine *el) {
    return el_wset(el, EL_GETCFN, kefu_el_read_char);
}

static inline int kefu_el_errno(void) { return errno; }
static inline int kefu_el_is_eintr(int err) { return err == EINTR; }

#endif /* KEFU_CEDITLINE_SHIM_H */
