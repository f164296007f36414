#!/usr/bin/env python3
"""Checks infra/template.yaml (or the template given as the first argument) against the code.

cfn-lint and `sam validate` check that the template is valid CloudFormation and SAM, but not
that it deploys *this* code: cfn-lint does not check that a SAM function's Runtime and
Architectures are the ones cargo-lambda builds for (it accepts any supported runtime, and any
architecture at all), nor that a function builds a binary that exists, nor which routes reach
which function, nor how broad a policy is. This script does, and exits 1 naming each problem:

- every AWS::Serverless::Function, after the template's Globals.Function, has Runtime
  provided.al2023, Architectures [arm64], Handler bootstrap, and Metadata BuildMethod
  rust-cargolambda with BuildProperties.Binary naming a binary of the Cargo workspace;
- the HttpApi events route exactly the routes of the sample events in events/<binary>/, each
  to the function of its binary, on an explicit AWS::Serverless::HttpApi, with payload format
  2.0;
- the scheduled functions are exactly those with a sample schedule event (a JSON with a `time`,
  the detail-type "Scheduled Event" and no `routeKey`) in events/<binary>/, each on a ScheduleV2
  event in Asia/Jakarta, with a retry policy, a dead-letter queue, and an Input that carries the
  schedule's moment as `time` (Scheduler sends none by itself; the job reads it from there);
- the SQS-triggered functions are exactly those with a sample SQS event (`Records` from
  aws:sqs) in events/<binary>/, each on an SQS event that reports partial batch failures
  (FunctionResponseTypes [ReportBatchItemFailures]) from a queue of this template with a
  RedrivePolicy (a dead-letter queue and a maxReceiveCount) and a VisibilityTimeout of at least
  six times the function's Timeout;
- policies are written-out statements with no wildcard action, no NotAction/NotResource, and no
  Resource "*" for DynamoDB; the read-only functions have no DynamoDB write action; S3 objects
  are read and written under attachments/ only (s3:GetObject, s3:PutObject), the bucket only
  listed; SQS and EventBridge only send (sqs:SendMessage, events:PutEvents), on a named
  resource.

Needs cfn-lint (for its YAML loader, which reads !Ref, !Sub, !GetAtt and the other short forms).
"""

import json
import pathlib
import subprocess
import sys

from cfnlint.decode import decode

ROOT = pathlib.Path(__file__).resolve().parent.parent



def sample_events():
    """binary -> its sample events (events/<binary>/*.json), parsed."""
    events = {}
    for event in sorted((ROOT / "events").glob("*/*.json")):
        events.setdefault(event.parent.name, []).append(json.loads(event.read_text()))
    return events


def event_routes():
    """The API contract: binary -> its routes, from the sample API Gateway events, which the Rust
    tests serve through each function's own part of the route table."""
    routes = {}
    for binary, events in sample_events().items():
        for event in events:
            if "routeKey" in event:
                method, path = event["routeKey"].split(" ", 1)
                routes.setdefault(binary, set()).add((method, path))
    return routes


def is_schedule(event):
    return ("routeKey" not in event and "time" in event
            and event.get("detail-type") == "Scheduled Event")


def scheduled_binaries():
    """The binaries run on a schedule: those with a sample schedule event."""
    return {binary for binary, events in sample_events().items()
            if any(is_schedule(e) for e in events)}


def queued_binaries():
    """The binaries fed by an SQS queue: those with a sample SQS event."""
    return {binary for binary, events in sample_events().items()
            if any(r.get("eventSource") == "aws:sqs"
                   for e in events for r in (e.get("Records") or []))}


def check_sqs(name, event_name, props, timeout, resources, problems):
    where = f"{name}.{event_name}"
    if "ReportBatchItemFailures" not in as_list(props.get("FunctionResponseTypes") or []):
        problems.append(f"{where}: FunctionResponseTypes must include ReportBatchItemFailures "
                        f"(else one failed message retries its whole batch)")
    queue = props.get("Queue")
    ref = queue.get("Fn::GetAtt") if isinstance(queue, dict) else None
    if isinstance(ref, str):
        ref = ref.split(".")
    if not (isinstance(ref, list) and ref[0] in resources and ref[1:] == ["Arn"]
            and resources[ref[0]].get("Type") == "AWS::SQS::Queue"):
        problems.append(f"{where}: Queue must be !GetAtt <a queue of this template>.Arn")
        return
    queue_props = resources[ref[0]].get("Properties", {})
    redrive = queue_props.get("RedrivePolicy") or {}
    if not (redrive.get("deadLetterTargetArn") and redrive.get("maxReceiveCount")):
        problems.append(f"{ref[0]}: no RedrivePolicy with a deadLetterTargetArn and a "
                        f"maxReceiveCount (poison messages would loop forever)")
    visibility = queue_props.get("VisibilityTimeout", 30)
    if not (isinstance(visibility, int) and isinstance(timeout, int)
            and visibility >= 6 * timeout):
        problems.append(f"{ref[0]}: VisibilityTimeout {visibility!r} is not at least six times "
                        f"{name}'s Timeout {timeout!r}")


SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"


def check_schedule(name, event_name, props, problems):
    where = f"{name}.{event_name}"
    if props.get("ScheduleExpressionTimezone") != "Asia/Jakarta":
        problems.append(f"{where}: ScheduleExpressionTimezone must be Asia/Jakarta")
    if not props.get("ScheduleExpression"):
        problems.append(f"{where}: no ScheduleExpression")
    retry = props.get("RetryPolicy") or {}
    if "MaximumRetryAttempts" not in retry:
        problems.append(f"{where}: no RetryPolicy.MaximumRetryAttempts")
    if not (props.get("DeadLetterConfig") or {}).get("Arn"):
        problems.append(f"{where}: DeadLetterConfig must name a queue (Arn)")
    try:
        given = json.loads(props.get("Input") or "")
    except (TypeError, ValueError):
        given = None
    if not (isinstance(given, dict) and given.get("time") == SCHEDULED_TIME):
        problems.append(f"{where}: Input must be a JSON object with \"time\": \"{SCHEDULED_TIME}\"")


READ_ONLY = {"queries"}
DYNAMODB_READS = {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"}
REQUIRED = {"Runtime": "provided.al2023", "Architectures": ["arm64"], "Handler": "bootstrap"}


def workspace_binaries():
    metadata = subprocess.run(
        ["cargo", "metadata", "--no-deps", "--format-version", "1"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return {t["name"] for p in json.loads(metadata)["packages"]
            for t in p["targets"] if "bin" in t["kind"]}


def as_list(value):
    return value if isinstance(value, list) else [value]


def check_policies(name, binary, policies, problems):
    for policy in as_list(policies or []):
        if not (isinstance(policy, dict) and "Statement" in policy):
            problems.append(f"{name}: policy {policy!r} is not written-out statements")
            continue
        for st in as_list(policy["Statement"]):
            if st.get("Effect") != "Allow":
                continue
            if "NotAction" in st or "NotResource" in st:
                problems.append(f"{name}: NotAction/NotResource grants too much: {st}")
            actions = [a for a in as_list(st.get("Action", [])) if isinstance(a, str)]
            for action in actions:
                if "*" in action:
                    problems.append(f"{name}: wildcard action {action!r}")
                if (binary in READ_ONLY and action.lower().startswith("dynamodb:")
                        and action not in DYNAMODB_READS):
                    problems.append(f"{name}: read-only function granted {action!r}")
            if "*" in as_list(st.get("Resource")) and any(
                    a.lower().startswith("dynamodb:") for a in actions):
                problems.append(f"{name}: DynamoDB actions on Resource '*'")
            check_s3(name, st, actions, problems)
            check_messaging(name, st, actions, problems)


MESSAGING_ACTIONS = {"sqs:SendMessage", "events:PutEvents"}


def check_messaging(name, statement, actions, problems):
    """SQS and EventBridge: sending only, to a named queue or bus (the notifier's receiving is
    granted by SAM with its SQS event)."""
    for action in (a for a in actions if a.lower().split(":")[0] in ("sqs", "events")):
        if action not in MESSAGING_ACTIONS:
            problems.append(f"{name}: {action!r} beyond sending notifications and events")
        elif "*" in json.dumps(statement.get("Resource", "*")):
            problems.append(f"{name}: {action} on a wildcard resource")


S3_OBJECT_ACTIONS = {"s3:GetObject", "s3:PutObject"}


def check_s3(name, statement, actions, problems):
    """S3: objects read and written under attachments/ only, and the bucket listed (so a missing
    object is a 404, not a 403); nothing else."""
    for action in (a for a in actions if a.lower().startswith("s3:")):
        if action not in S3_OBJECT_ACTIONS | {"s3:ListBucket"}:
            problems.append(f"{name}: S3 action {action!r} beyond reading and writing attachments")
        elif action in S3_OBJECT_ACTIONS:
            for resource in as_list(statement.get("Resource")):
                if "/attachments/" not in json.dumps(resource):
                    problems.append(f"{name}: {action} beyond the attachments prefix: {resource}")


def main():
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "infra" / "template.yaml"
    template, errors = decode(str(path))
    if errors:
        sys.exit(f"template_check: cannot read {path}: {errors}")
    resources = template.get("Resources", {})
    globals_ = template.get("Globals", {}).get("Function", {})
    http_apis = {k for k, r in resources.items() if r.get("Type") == "AWS::Serverless::HttpApi"}
    binaries = workspace_binaries()
    problems, routed, scheduled, queued = [], {}, set(), set()

    for name, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = {**globals_, **resource.get("Properties", {})}
        for key, wanted in REQUIRED.items():
            if props.get(key) != wanted:
                problems.append(f"{name}: {key} is {props.get(key)!r}, not {wanted!r}")
        metadata = resource.get("Metadata", {})
        binary = metadata.get("BuildProperties", {}).get("Binary")
        if metadata.get("BuildMethod") != "rust-cargolambda":
            problems.append(f"{name}: Metadata.BuildMethod is not rust-cargolambda")
        if binary not in binaries:
            problems.append(f"{name}: Binary {binary!r} is not a binary of the workspace "
                            f"({', '.join(sorted(binaries))})")
        check_policies(name, binary, props.get("Policies"), problems)

        for event_name, event in (props.get("Events") or {}).items():
            if event.get("Type") == "ScheduleV2":
                check_schedule(name, event_name, event.get("Properties", {}), problems)
                scheduled.add(binary)
                continue
            if event.get("Type") == "SQS":
                check_sqs(name, event_name, event.get("Properties", {}), props.get("Timeout"),
                          resources, problems)
                queued.add(binary)
                continue
            if event.get("Type") != "HttpApi":
                problems.append(f"{name}.{event_name}: event type {event.get('Type')!r} "
                                f"is none of HttpApi, ScheduleV2, SQS")
                continue
            ep = event.get("Properties", {})
            route = (str(ep.get("Method", "")).upper(), ep.get("Path"))
            api = ep.get("ApiId")
            if not (isinstance(api, dict) and api.get("Ref") in http_apis):
                problems.append(f"{name}.{event_name}: ApiId must be !Ref to the HttpApi")
            if ep.get("PayloadFormatVersion") != "2.0":
                problems.append(f"{name}.{event_name}: PayloadFormatVersion must be \"2.0\"")
            if route in routed:
                problems.append(f"{route} is routed twice ({routed[route][0]}, {name})")
            routed[route] = (name, binary)

    expected = {route: binary for binary, routes in event_routes().items() for route in routes}
    for route in sorted(expected.keys() - routed.keys()):
        problems.append(f"missing route {' '.join(route)} (for {expected[route]})")
    for route in sorted(routed.keys() - expected.keys()):
        problems.append(f"unexpected route {' '.join(route)} (on {routed[route][0]})")
    for route in sorted(expected.keys() & routed.keys()):
        name, binary = routed[route]
        if binary != expected[route]:
            problems.append(f"{' '.join(route)} goes to {name} ({binary}), "
                            f"not to the {expected[route]} binary")

    for binary in sorted(scheduled_binaries() - scheduled):
        problems.append(f"{binary} has a sample schedule event but no ScheduleV2 event")
    for binary in sorted(scheduled - scheduled_binaries()):
        problems.append(f"{binary} runs on a schedule but has no sample schedule event in events/")

    for binary in sorted(queued_binaries() - queued):
        problems.append(f"{binary} has a sample SQS event but no SQS event")
    for binary in sorted(queued - queued_binaries()):
        problems.append(f"{binary} is fed by a queue but has no sample SQS event in events/")

    if problems:
        print(f"template_check: {path}: {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        sys.exit(1)
    print(f"template_check: {path}: {len(routed)} routes on "
          f"{len({b for _, b in routed.values()})} functions, {len(scheduled)} scheduled "
          f"jobs and {len(queued)} queue consumer(s) match the contract")


if __name__ == "__main__":
    main()
