/* cdp.c - the Chrome DevTools protocol over a libsoup 3 WebSocket for the
 * browser test: connect, call a method and wait for its answer, evaluate
 * JavaScript in a page. Events are dropped, except the page's exceptions
 * and console errors, which are printed: a broken page says why. */
#include "tests/browser/cdp.h"

#include <stdio.h>

#include <libsoup/soup.h>

#include "tests/check.h"

struct Cdp {
	SoupSession *session;
	SoupWebsocketConnection *ws;
	GError *connect_error;
	gboolean connect_done;
	gint64 next_id;
	gint64 waiting;	  /* the id of the call in flight; 0: none */
	JsonNode *answer; /* its answer, once here */
	gboolean answered;
	gboolean closed;
};

static gboolean
timed_out(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

gboolean
cdp_wait(const gboolean *flag, guint timeout_ms)
{
	gboolean late = FALSE;
	guint timer = g_timeout_add(timeout_ms, timed_out, &late);

	while ((flag == NULL || !*flag) && !late)
		g_main_context_iteration(NULL, TRUE);
	if (!late)
		g_source_remove(timer);
	return flag != NULL && *flag;
}

/* The text of a Runtime.exceptionThrown or a console error. */
static void
print_event(JsonObject *msg)
{
	const char *method =
	    json_object_get_string_member_with_default(msg, "method", "");
	JsonObject *params = check_object_member(msg, "params");
	JsonNode *node;
	char *text;

	if (params == NULL)
		return;
	if (g_strcmp0(method, "Runtime.exceptionThrown") == 0)
		node = json_object_get_member(params, "exceptionDetails");
	else if (g_strcmp0(method, "Runtime.consoleAPICalled") == 0 &&
		 g_strcmp0(json_object_get_string_member_with_default(
			       params, "type", ""),
			   "error") == 0)
		node = json_object_get_member(params, "args");
	else
		return;
	text = node != NULL ? json_to_string(node, FALSE) : g_strdup("?");
	printf("page: %s %.600s\n", method, text);
	g_free(text);
}

static void
on_message(SoupWebsocketConnection *ws, gint type, GBytes *message,
	   gpointer data)
{
	Cdp *cdp = data;
	JsonParser *parser = json_parser_new();
	gsize len = 0;
	const char *text = g_bytes_get_data(message, &len);
	JsonNode *root;
	JsonObject *msg;

	(void)ws;
	if (type != SOUP_WEBSOCKET_DATA_TEXT ||
	    !json_parser_load_from_data(parser, text, (gssize)len, NULL) ||
	    !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_object_unref(parser);
		return;
	}
	root = json_parser_get_root(parser);
	msg = json_node_get_object(root);
	if (json_object_has_member(msg, "id") &&
	    json_object_get_int_member(msg, "id") == cdp->waiting) {
		cdp->answer = json_node_copy(root);
		cdp->answered = TRUE;
	} else if (json_object_has_member(msg, "method")) {
		print_event(msg);
	}
	g_object_unref(parser);
}

static void
on_closed(SoupWebsocketConnection *ws, gpointer data)
{
	Cdp *cdp = data;

	(void)ws;
	cdp->closed = TRUE;
	cdp->answered = TRUE; /* wakes a waiting call: it fails as closed */
}

static void
connected(GObject *source, GAsyncResult *result, gpointer data)
{
	Cdp *cdp = data;

	cdp->ws = soup_session_websocket_connect_finish(
	    SOUP_SESSION(source), result, &cdp->connect_error);
	cdp->connect_done = TRUE;
}

Cdp *
cdp_connect(const char *url, guint timeout_ms, GError **error)
{
	Cdp *cdp = g_new0(Cdp, 1);
	SoupMessage *msg = soup_message_new("GET", url);

	cdp->session = soup_session_new();
	if (msg == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "not a URL: %s", url);
		cdp_close(cdp);
		return NULL;
	}
	/* No Origin header: Chromium refuses a WebSocket from an origin it
	 * was not told to allow (--remote-allow-origins). */
	soup_session_websocket_connect_async(cdp->session, msg, NULL, NULL,
					     G_PRIORITY_DEFAULT, NULL,
					     connected, cdp);
	g_object_unref(msg);
	if (!cdp_wait(&cdp->connect_done, timeout_ms)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
			    "%s: no WebSocket after %u ms", url, timeout_ms);
		/* The callback still comes: let it land before freeing. */
		cdp_wait(&cdp->connect_done, 60000);
		cdp_close(cdp);
		return NULL;
	}
	if (cdp->ws == NULL) {
		g_propagate_prefixed_error(error, cdp->connect_error,
					   "%s: ", url);
		cdp->connect_error = NULL;
		cdp_close(cdp);
		return NULL;
	}
	/* Screenshots come as one message of megabytes. */
	soup_websocket_connection_set_max_incoming_payload_size(cdp->ws, 0);
	g_signal_connect(cdp->ws, "message", G_CALLBACK(on_message), cdp);
	g_signal_connect(cdp->ws, "closed", G_CALLBACK(on_closed), cdp);
	return cdp;
}

static char *
request_text(gint64 id, const char *session, const char *method,
	     JsonObject *params)
{
	JsonObject *req = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	char *text;

	json_object_set_int_member(req, "id", id);
	json_object_set_string_member(req, "method", method);
	json_object_set_object_member(
	    req, "params", params != NULL ? params : json_object_new());
	if (session != NULL)
		json_object_set_string_member(req, "sessionId", session);
	json_node_take_object(node, req);
	text = json_to_string(node, FALSE);
	json_node_unref(node);
	return text;
}

/* The answer's result, or its error as ERROR. */
static JsonObject *
answer_result(JsonNode *answer, const char *method, GError **error)
{
	JsonObject *msg = json_node_get_object(answer);
	JsonObject *err = check_object_member(msg, "error");
	JsonObject *result = check_object_member(msg, "result");

	if (err != NULL || result == NULL) {
		g_set_error(
		    error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", method,
		    err != NULL ? json_object_get_string_member_with_default(
				      err, "message", "error")
				: "no result");
		return NULL;
	}
	return json_object_ref(result);
}

JsonObject *
cdp_call(Cdp *cdp, const char *session, const char *method, JsonObject *params,
	 guint timeout_ms, GError **error)
{
	JsonObject *result = NULL;
	char *text;

	if (cdp->closed) {
		if (params != NULL)
			json_object_unref(params);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_CLOSED,
			    "%s: the DevTools connection is closed", method);
		return NULL;
	}
	cdp->waiting = ++cdp->next_id;
	cdp->answered = FALSE;
	text = request_text(cdp->waiting, session, method, params);
	soup_websocket_connection_send_text(cdp->ws, text);
	g_free(text);
	if (!cdp_wait(&cdp->answered, timeout_ms))
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
			    "%s: no answer after %u ms", method, timeout_ms);
	else if (cdp->answer == NULL)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_CLOSED,
			    "%s: the DevTools connection closed", method);
	else
		result = answer_result(cdp->answer, method, error);
	g_clear_pointer(&cdp->answer, json_node_unref);
	cdp->waiting = 0;
	return result;
}

JsonNode *
cdp_eval(Cdp *cdp, const char *session, const char *expression, GError **error)
{
	JsonObject *params = json_object_new();
	JsonObject *result, *value, *thrown;
	JsonNode *out = NULL;

	json_object_set_string_member(params, "expression", expression);
	json_object_set_boolean_member(params, "returnByValue", TRUE);
	json_object_set_boolean_member(params, "awaitPromise", TRUE);
	result =
	    cdp_call(cdp, session, "Runtime.evaluate", params, 30000, error);
	if (result == NULL)
		return NULL;
	thrown = check_object_member(result, "exceptionDetails");
	value = check_object_member(result, "result");
	if (thrown != NULL || value == NULL) {
		JsonObject *exc = thrown != NULL
				      ? check_object_member(thrown, "exception")
				      : NULL;

		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%.80s…: %s",
			    expression,
			    exc != NULL
				? json_object_get_string_member_with_default(
				      exc, "description", "threw")
				: "threw");
	} else if (json_object_has_member(value, "value")) {
		out = json_node_copy(json_object_get_member(value, "value"));
	} else {
		out = json_node_init_null(json_node_alloc());
	}
	json_object_unref(result);
	return out;
}

void
cdp_close(Cdp *cdp)
{
	if (cdp == NULL)
		return;
	if (cdp->ws != NULL) {
		g_signal_handlers_disconnect_by_data(cdp->ws, cdp);
		if (soup_websocket_connection_get_state(cdp->ws) ==
		    SOUP_WEBSOCKET_STATE_OPEN)
			soup_websocket_connection_close(
			    cdp->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
		g_object_unref(cdp->ws);
	}
	g_clear_error(&cdp->connect_error);
	g_clear_pointer(&cdp->answer, json_node_unref);
	g_object_unref(cdp->session);
	g_free(cdp);
}
