"""Who may act, and how a caller proves who it is.

A token's `scope` is `*` (national), a federation code (`bac-kan`), or a unit path inside a
federation (`bac-kan/tp-bac-kan/cdcs-truong-a`): the federation, then the unit codes from the
top of its tree down to the unit whose subtree the user may act in.

* `permissions`: the roles, who may do what (PERMISSIONS, UNIT_ACTIONS) and what a scope covers.
* `principal`: the caller a verified token names, and its checks.
* `config`: the settings a service refuses to start with.
* `keys`: the public keys of registration's JWKS.
* `tokens`: verifying bearer tokens (and the lately-verified cache), minting development ones.
* `service_account`: the tokens a service sends when it calls another (a service account's,
  exchanged at registration; in development a minted one)."""
