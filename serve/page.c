/* page.c - the drop page and its files, from the binary's resources
 * (serve/page/, compiled in by glib-compile-resources): a provider's
 * browser needs nothing from a network. */
#include <string.h>

#include "serve/serve_int.h"

/* Generated from serve/page/page.gresource.xml. */
GResource *serve_page_get_resource(void);

static const char *
type_of(const char *name)
{
	static const char *const types[][2] = {
	    {".html", "text/html; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".ico", "image/x-icon"}};

	for (gsize i = 0; i < G_N_ELEMENTS(types); i++)
		if (g_str_has_suffix(name, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

void
serve_page_get(SoupServerMessage *msg, const char *path)
{
	const char *name = strcmp(path, "/") == 0 ? "index.html"
			   : g_str_has_prefix(path, "/page/")
			       ? path + strlen("/page/")
			       : NULL;
	char *res = NULL;
	GBytes *data = NULL;
	SoupMessageHeaders *h;

	if (name != NULL && *name != '\0' && strstr(name, "..") == NULL) {
		res = g_strconcat("/evidcheck/page/", name, NULL);
		data =
		    g_resource_lookup_data(serve_page_get_resource(), res,
					   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
	}
	if (data == NULL) {
		serve_reply_error(msg, SOUP_STATUS_NOT_FOUND, "not_found",
				  "no such page: %s (the API is under /v1/)",
				  path);
		g_free(res);
		return;
	}
	h = soup_server_message_get_response_headers(msg);
	soup_message_headers_replace(h, "X-Content-Type-Options", "nosniff");
	soup_message_headers_replace(h, "X-Frame-Options", "DENY");
	soup_message_headers_replace(
	    h, "Content-Security-Policy",
	    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
	    "style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
	    "connect-src 'self'; frame-ancestors 'none'");
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(msg, type_of(name), SOUP_MEMORY_COPY,
					 g_bytes_get_data(data, NULL),
					 g_bytes_get_size(data));
	g_bytes_unref(data);
	g_free(res);
}
