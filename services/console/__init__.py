"""The console: the product's web interface (issue 14). A backend-for-frontend that renders
Vietnamese HTML on the server and calls registration, awards and reporting over their public
HTTP APIs with the signed-in person's token; the browser holds only a session cookie."""
