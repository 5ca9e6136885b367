# The two commands of the quick start, and a few helpers. Each target does its own set-up.
.PHONY: demo test unit kafka-start kafka-stop clean

demo:  ## run the service on a local broker with the sample articles and show the events
	deploy/local/demo.sh

test:  ## install everything the tests need, then run all tests (unit and integration)
	deploy/local/test.sh

unit:  ## unit tests only (no broker)
	deploy/local/test.sh tests/unit

kafka-start:
	deploy/local/kafka.sh start

kafka-stop:
	deploy/local/kafka.sh stop

clean:
	deploy/local/kafka.sh stop
	rm -rf .local .newswire
