"""Staff sign-in: the admin site's password-and-code login, two-factor enrolment, and the API's
authentication (a staff session counts only with its second factor; tokens are for notice senders)."""
