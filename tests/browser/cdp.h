/* cdp.h - a small synchronous client of the Chrome DevTools protocol over
 * a libsoup 3 WebSocket, for the browser test (drop_test.c): one call at
 * a time, its answer matched by id, the main context turned while
 * waiting. Page errors and console errors are printed as they come. */
#ifndef EVIDCHECK_TESTS_CDP_H
#define EVIDCHECK_TESTS_CDP_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct Cdp Cdp;

/* Connect to the browser's DevTools endpoint URL (ws://…/devtools/…),
 * waiting up to TIMEOUT_MS. NULL with ERROR when it cannot. */
Cdp *cdp_connect(const char *url, guint timeout_ms, GError **error);

/* Call METHOD with PARAMS (taken; NULL for none) in SESSION (a flattened
 * target session id; NULL for the browser). Returns the answer's
 * "result" object (a new reference), or NULL with ERROR: the protocol's
 * error, no answer within TIMEOUT_MS, or the connection closed. */
JsonObject *cdp_call(Cdp *cdp, const char *session, const char *method,
		     JsonObject *params, guint timeout_ms, GError **error);

/* Evaluate the JavaScript EXPRESSION in SESSION's page (promises
 * awaited) and return its value (a new node; a JSON null when the
 * value is undefined), or NULL with ERROR when it threw. */
JsonNode *cdp_eval(Cdp *cdp, const char *session, const char *expression,
		   GError **error);

/* Turn the main context until *FLAG is TRUE or TIMEOUT_MS passed;
 * returns *FLAG. With FLAG NULL: just wait, answering what comes. */
gboolean cdp_wait(const gboolean *flag, guint timeout_ms);

/* Close the connection and free CDP (NULL is fine). */
void cdp_close(Cdp *cdp);

G_END_DECLS

#endif
