/*
 * ncurses (wide-character build, Debian's libncursesw) for smoothtaskctl's full-screen views.
 *
 * Swift imports neither C macros that take arguments (COLOR_PAIR, getmaxyx) nor, in Swift 6 mode,
 * C's mutable globals (stdscr) without a concurrency error, so the few the client needs are
 * wrapped here as static inline functions. Only smoothtaskctl links this target.
 */
#ifndef SMOOTHTASK_CNCURSES_SHIM_H
#define SMOOTHTASK_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>

/* The standard screen (a global ncurses sets in newterm). */
static inline WINDOW *smoothtask_curses_screen(void) { return stdscr; }

/* Rows and columns of the standard screen, current after a KEY_RESIZE. */
static inline int smoothtask_curses_rows(void) { return getmaxy(stdscr); }
static inline int smoothtask_curses_columns(void) { return getmaxx(stdscr); }

/* The attribute that selects colour pair n. */
static inline attr_t smoothtask_curses_color_pair(short n) { return (attr_t)COLOR_PAIR(n); }

/* Attributes by name: Swift does not import the macros that compute them. */
static inline attr_t smoothtask_curses_bold(void) { return (attr_t)A_BOLD; }
static inline attr_t smoothtask_curses_reverse(void) { return (attr_t)A_REVERSE; }
static inline attr_t smoothtask_curses_dim(void) { return (attr_t)A_DIM; }
static inline attr_t smoothtask_curses_normal(void) { return (attr_t)A_NORMAL; }

/* Terminal cells a character takes (2 for CJK, -1 for a control character). Declared here because
 * glibc's wchar.h declares wcwidth only under _XOPEN_SOURCE, which Swift's Glibc module leaves unset. */
extern int wcwidth(wchar_t c);
static inline int smoothtask_cell_width(unsigned int c) { return wcwidth((wchar_t)c); }

/* Key codes the views handle (macros in curses.h). */
static inline int smoothtask_key_left(void) { return KEY_LEFT; }
static inline int smoothtask_key_right(void) { return KEY_RIGHT; }
static inline int smoothtask_key_up(void) { return KEY_UP; }
static inline int smoothtask_key_down(void) { return KEY_DOWN; }
static inline int smoothtask_key_page_up(void) { return KEY_PPAGE; }
static inline int smoothtask_key_page_down(void) { return KEY_NPAGE; }
static inline int smoothtask_key_home(void) { return KEY_HOME; }
static inline int smoothtask_key_end(void) { return KEY_END; }
static inline int smoothtask_key_backspace(void) { return KEY_BACKSPACE; }
static inline int smoothtask_key_enter(void) { return KEY_ENTER; }
static inline int smoothtask_key_resize(void) { return KEY_RESIZE; }

#endif
