"""The benchmark harness (issue 9): the product's paths against raw baselines, in one run.

`make bench` runs the quick profile; `make bench ARGS="--scale nation"` adds the nation data set.
Nothing here is imported by the services; it drives them as a user and a raw client would."""
