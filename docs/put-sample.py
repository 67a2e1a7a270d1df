#!/usr/bin/env python3
"""Puts the bundled sample day into the cameras' results streams, as Rekognition stream processors would.

For trying the kinesis source against the moto emulator (or a sandbox account):
  python3 -m moto.server -H 127.0.0.1 -p 5000 &
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing python3 docs/put-sample.py http://127.0.0.1:5000
Creates AmazonRekognition-<kvsStream> (1 shard) for the example household's cameras if missing.
"""
import json, os, re, sys, uuid
import boto3

endpoint = sys.argv[1] if len(sys.argv) > 1 else None
region = os.environ.get("AWS_REGION", "us-east-1")
kinesis = boto3.client("kinesis", region_name=region, endpoint_url=endpoint)
here = os.path.dirname(os.path.abspath(__file__))
scenario = os.path.join(here, "..", "src", "main", "resources", "sample", "scenario.jsonl")
cameras = ["front-door-cam", "driveway-cam", "back-garden-cam"]

for camera in cameras:
    name = "AmazonRekognition-" + camera
    try:
        kinesis.create_stream(StreamName=name, ShardCount=1)
        kinesis.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 1})
        print("created", name)
    except kinesis.exceptions.ResourceInUseException:
        pass

put = 0
with open(scenario) as lines:
    for line in lines:
        m = re.search(r"stream/([a-zA-Z0-9_.-]+)/", line)
        if m and m.group(1) in cameras:
            kinesis.put_record(StreamName="AmazonRekognition-" + m.group(1), Data=line.strip().encode(),
                               PartitionKey=str(uuid.uuid4()))
            put += 1
print("put", put, "records")
