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
#include <sys/ioctl.h>

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

/* libedit's emacs map binds ^R to ed-redisplay; Kefu binds it to its own history search (LineEditor).
 * Also a few Home/End/Delete/Ctrl-arrow sequences that the
 * terminfo-driven bindings miss in some terminals (tmux, xterm variants). */
static inline void kefu_el_bind_readline_keys(EditLine *el) {
    el_set(el, EL_BIND, "^W", "ed-delete-prev-word", NULL); /* libedit's ^W kills from the mark, unset */
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

/* libedit redraws an edited line by comparing the old screen with the new one and, where the terminal can
 * insert or delete characters (terminfo ich/ich1/smir, dch/dch1), shifting the rest of the row in place.
 * With double-width characters on a line that wraps, that shifting goes wrong: typing at the start of a
 * long Chinese line showed "you>> AB 想问…" (a second ">", the first character blanked) while the buffer
 * held "AB我想问…", and the rows below kept stale characters. Without those capabilities libedit rewrites
 * the changed part of each row instead, which it gets right; a few more bytes per key is the only cost.
 * Returns the number of capabilities that could not be cleared (0 on success). */
static inline int kefu_el_rewrite_instead_of_shifting(EditLine *el) {
    static const char *const capabilities[] = { "im", "ic", "IC", "ip", "ei", "dc", "DC", "dm", "ed", NULL };
    int failed = 0;
    for (int i = 0; capabilities[i] != NULL; i++) {
        if (el_set(el, EL_SETTC, capabilities[i], "", NULL) != 0) failed++;
    }
    return failed;
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

/* The newest entry, then older ones; NULL past the oldest. */
static inline const wchar_t *kefu_hist_first(HistoryW *h) {
    HistEventW ev;
    return history_w(h, &ev, H_FIRST) == 0 ? ev.str : NULL;
}

static inline const wchar_t *kefu_hist_next(HistoryW *h) {
    HistEventW ev;
    return history_w(h, &ev, H_NEXT) == 0 ? ev.str : NULL;
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

/* ---------- layout of the edited line ---------- */

/* libedit (3.1-20221030) moves the cursor right by up to 4 cells by re-writing the characters it believes
 * are there, and it writes nothing for the second cell of a double-width character. When a move starts on
 * such a cell (after moving up from the end of a wrapped Chinese line, say) the cursor stays one cell short
 * of where libedit believes it is: typing 中 at the start of a line that wraps twice at 40 columns left the
 * cursor inside 中. Before each key is read, the cursor is put in the column the buffer says, with an
 * absolute column move (CHA); the row is never wrong. The correction costs a few bytes a key; it is
 * skipped on terminals without a column-address capability.
 *
 * The layout is libedit's (refresh.c): a character that does not fit in the row goes to the next one, a
 * full row moves on, and a cursor on a double-width character that went to the next row is put there. */
static inline volatile int *kefu_el_prompt_columns(void) {
    static volatile int columns = -1; /* -1: unknown, no correction */
    return &columns;
}

/* Whether the prompt holds a double-width character (the Chinese search prompt ends in one): its filler
 * cell can be where a move starts even when the line itself is all ASCII. */
static inline volatile int *kefu_el_prompt_is_wide(void) {
    static volatile int wide = 0;
    return &wide;
}

static inline void kefu_el_set_prompt_columns(int columns, int wide) {
    *kefu_el_prompt_columns() = columns;
    *kefu_el_prompt_is_wide() = wide;
}

typedef struct { int cursor_row, cursor_column, last_row, wide; } kefu_el_layout;

/* 0 when the line could be laid out at `columns`; -1 when the prompt is unknown or the line holds anything
 * whose width this layout does not know (control characters shown as ^X, combining marks). */
static inline int kefu_el_lay_out(EditLine *el, int columns, kefu_el_layout *out) {
    int h = *kefu_el_prompt_columns(), v = 0;
    const LineInfoW *line = el_wline(el);
    if (h < 0 || line == NULL || columns < 2 || h >= columns) return -1;
    out->cursor_row = -1;
    out->wide = *kefu_el_prompt_is_wide();
    for (const wchar_t *p = line->buffer; p < line->lastchar; p++) {
        int w = wcwidth(*p);
        if (w <= 0) return -1;
        if (w > 1) out->wide = 1;
        if (h + w > columns) { h = 0; v++; }
        if (p == line->cursor) { out->cursor_row = v; out->cursor_column = h; }
        h += w;
        if (h >= columns) { h = 0; v++; }
    }
    if (out->cursor_row < 0) { out->cursor_row = v; out->cursor_column = h; }
    out->last_row = (h == 0 && v > 0) ? v - 1 : v;
    if (out->last_row < out->cursor_row) out->last_row = out->cursor_row;
    return 0;
}

static inline int kefu_el_columns(EditLine *el) {
    int columns = 0;
    return el_get(el, EL_GETTC, "co", &columns, NULL) == 0 ? columns : -1;
}

/* How many rows of the edited line lie below the cursor (0 when unknown): Ctrl-C must end the line below
 * its last row, or the next prompt is drawn over the rest of a wrapped line. */
static inline int kefu_el_rows_below_cursor(EditLine *el) {
    kefu_el_layout layout;
    if (kefu_el_lay_out(el, kefu_el_columns(el), &layout) != 0) return 0;
    return layout.last_row - layout.cursor_row;
}

static inline void kefu_el_correct_cursor_column(EditLine *el) {
    kefu_el_layout layout;
    char *column_address = NULL;
    if (el_get(el, EL_GETTC, "ch", &column_address, NULL) != 0 || column_address == NULL || column_address[0] == '\0') return;
    /* Filler cells come only from double-width characters: a prompt and line without any need no correction. */
    if (kefu_el_lay_out(el, kefu_el_columns(el), &layout) != 0 || !layout.wide) return;
    fprintf(stdout, "\033[%dG", layout.cursor_column + 1);
    fflush(stdout);
}

/* ---------- window size ---------- */

/* libedit learns a new size from SIGWINCH but does not redraw the line, and it forgets what is on the
 * screen: the next key redrew the whole line from wherever the cursor was ("为什么 现在还没到账" with a
 * character lost). The reader notices the new size and redraws the line itself. Where the line now starts
 * depends on the terminal: xterm keeps rows as they were (cut at the new margin), tmux and VTE re-flow
 * them. When both give the line's first row at the same distance above the cursor (always for a line
 * that fits in one row), the line is redrawn in place; otherwise it is redrawn from the row below the
 * cursor, which can leave part of the old line above it but never erases anything printed before it. */
static inline int kefu_el_window_columns(void) {
    struct winsize size;
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return -1;
    return size.ws_col;
}

static inline volatile int *kefu_el_known_columns(void) {
    static volatile int columns = -1;
    return &columns;
}

static inline void kefu_el_redraw_if_resized(EditLine *el) {
    int now = kefu_el_window_columns();
    int before = *kefu_el_known_columns();
    *kefu_el_known_columns() = now;
    if (now < 0 || before < 0 || now == before) return;
    el_resize(el);
    kefu_el_layout kept, reflowed;
    int in_place = kefu_el_lay_out(el, before, &kept) == 0 && kefu_el_lay_out(el, now, &reflowed) == 0
        && kept.cursor_row == reflowed.cursor_row;
    if (in_place) {
        if (kept.cursor_row > 0) fprintf(stdout, "\r\033[%dA\033[J", kept.cursor_row);
        else fputs("\r\033[J", stdout);
    } else {
        fputs("\r\n\033[J", stdout);
    }
    fflush(stdout);
    el_wset(el, EL_REFRESH);
    kefu_el_correct_cursor_column(el);
}

/* ---------- history search ---------- */

/* Kefu's history search (Ctrl-R) is an editor function that libedit calls once per key: while it is on,
 * the reader hands every key the customer types to it, as KEFU_EL_SEARCH_MARKER, and keeps the real key
 * (one character, or a whole escape sequence such as an arrow) for it to read. Keys the search gives back
 * (Enter to run the line, an arrow that ends the search) are queued and read again as ordinary keys. */
#define KEFU_EL_SEARCH_MARKER 0x1E /* Ctrl-^, bound to the search function */
#define KEFU_EL_KEY_MAX 16

static inline volatile int *kefu_el_search_flag(void) {
    static volatile int active = 0;
    return &active;
}

static inline void kefu_el_set_search_active(int active) { *kefu_el_search_flag() = active; }

typedef struct { wchar_t keys[KEFU_EL_KEY_MAX]; int count; } kefu_el_key_sequence;

static inline kefu_el_key_sequence *kefu_el_search_key(void) {
    static kefu_el_key_sequence key;
    return &key;
}

static inline int kefu_el_search_key_count(void) { return kefu_el_search_key()->count; }
static inline wchar_t kefu_el_search_key_at(int index) { return kefu_el_search_key()->keys[index]; }

typedef struct { wchar_t keys[64]; int head; int count; } kefu_el_queue;

static inline kefu_el_queue *kefu_el_pending(void) {
    static kefu_el_queue queue;
    return &queue;
}

static inline void kefu_el_queue_key(wchar_t key) {
    kefu_el_queue *queue = kefu_el_pending();
    if (queue->count < 64) queue->keys[(queue->head + queue->count++) % 64] = key;
}

static inline void kefu_el_clear_queue(void) { kefu_el_pending()->count = 0; }

/* One byte of an escape sequence, if it comes within `ms` milliseconds: a bare Esc is told from the first
 * byte of an arrow key by the pause after it (readline waits up to 500 ms; 200 ms keeps Esc responsive and
 * is far longer than the gap inside one key's bytes, even over ssh). -1 when none came. */
static inline int kefu_el_next_byte(int ms) {
    struct pollfd input = { .fd = STDIN_FILENO, .events = POLLIN, .revents = 0 };
    unsigned char byte;
    int ready;
    do { ready = poll(&input, 1, ms); } while (ready < 0 && errno == EINTR); /* a resize must not cut a key */
    if (ready <= 0) return -1;
    ssize_t got;
    do { got = read(STDIN_FILENO, &byte, 1); } while (got < 0 && errno == EINTR);
    return got == 1 ? byte : -1;
}

/* A byte read while looking for the rest of an escape sequence that was not part of it (the first byte of a
 * Chinese character typed right after Esc): the reader starts the next character with it. -1: none. */
static inline int *kefu_el_unread_byte(void) {
    static int byte = -1;
    return &byte;
}

/* Keeps the key the reader just read (and the rest of its escape sequence) for the search function. */
static inline void kefu_el_keep_search_key(wchar_t first) {
    kefu_el_key_sequence *key = kefu_el_search_key();
    key->count = 0;
    key->keys[key->count++] = first;
    if (first != 0x1B) return;
    int next = kefu_el_next_byte(200);
    /* Only an ASCII byte can be part of a key's sequence; anything else is left unread for the next key. */
    if (next < 0) return;
    if (next >= 0x80) { *kefu_el_unread_byte() = next; return; }
    key->keys[key->count++] = (wchar_t)next;
    if (next != '[' && next != 'O') return;
    while (key->count < KEFU_EL_KEY_MAX) {
        int byte = kefu_el_next_byte(200);
        if (byte < 0) return;
        key->keys[key->count++] = (wchar_t)byte;
        if (byte >= 0x40 && byte <= 0x7E) return;
    }
}

/* ---------- reading ---------- */

/* libedit's own reader blocks in read() and relies on EINTR to notice a signal. That EINTR can be lost:
 * with EL_SIGNAL, libedit's handler re-raises the signal with kill(0), and a signal handled while the
 * reader was not inside read() (redrawing the line, or on another thread) leaves the next read() blocked
 * for good, so SIGTERM did not end the session. This reader waits in 100 ms slices and checks the flags
 * the handlers set before each read, so a termination or Ctrl-C always ends el_wgets (count -1, EINTR).
 * Bytes are decoded with the locale's codeset, as libedit's reader does: an invalid sequence is dropped
 * (keeping its last byte, which may start the next character). Returns 1, 0 at end of input, -1. */
static int kefu_el_read_char(EditLine *el, wchar_t *wc) {
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    if (*kefu_el_known_columns() < 0) *kefu_el_known_columns() = kefu_el_window_columns();
    kefu_el_redraw_if_resized(el);
    kefu_el_correct_cursor_column(el);
    kefu_el_queue *queue = kefu_el_pending();
    if (queue->count > 0) {
        *wc = queue->keys[queue->head];
        queue->head = (queue->head + 1) % 64;
        queue->count--;
        return 1;
    }
    for (;;) {
        if (*kefu_el_termination_flag() != 0 || *kefu_el_interrupt_flag() != 0) {
            errno = EINTR;
            return -1;
        }
        ssize_t got;
        if (*kefu_el_unread_byte() >= 0) {
            bytes[count] = (char)*kefu_el_unread_byte();
            *kefu_el_unread_byte() = -1;
            got = 1;
        } else {
            struct pollfd input = { .fd = STDIN_FILENO, .events = POLLIN, .revents = 0 };
            int ready = poll(&input, 1, 100);
            if (count == 0) kefu_el_redraw_if_resized(el);
            if (ready < 0) {
                if (errno == EINTR) continue;
                return -1;
            }
            if (ready == 0) continue;
            got = read(STDIN_FILENO, bytes + count, 1);
        }
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
            if (*kefu_el_search_flag()) {
                kefu_el_keep_search_key(*wc);
                *wc = KEFU_EL_SEARCH_MARKER;
            }
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
