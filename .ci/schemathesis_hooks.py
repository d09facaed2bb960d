"""Schemathesis hooks for Pledge's contract run (.ci/contract.sh sets SCHEMATHESIS_HOOKS to this module).

POST /v1/unsubscribes/mail takes an email as the mail system received it (message/rfc822), which
schemathesis cannot make on its own: this gives it messages with and without a Subject, with an
"unsubscribe" word followed by random bytes where a token would be, and raw bytes."""
from hypothesis import strategies as st

import schemathesis

headers = st.sampled_from([b"Subject: unsubscribe ", b"From: a@example.com\r\nSubject: Re: UNSUBSCRIBE ", b"Subject: ", b"X-Other: "])
messages = st.one_of(
    st.builds(lambda head, token, body: head + token + b"\r\n\r\n" + body, headers, st.binary(max_size=120), st.binary(max_size=400)),
    st.binary(max_size=600),
)
schemathesis.openapi.media_type("message/rfc822", messages)
