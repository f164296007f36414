//! The AWS backend: DynamoDB for every record, S3 for blobs, SQS to the notifier, EventBridge
//! for integration events.

use std::sync::Arc;

use lapor_app::notifications::Delivery;
use lapor_aws::{Dynamo, EventBridgeBus, S3Blobs, SqsQueue};

use crate::config::{AwsResources, Queue};
use crate::{Assembly, aws_environment};

/// The table, bucket, queue and bus, created first when asked (emulators, first runs).
pub(crate) async fn assemble(resources: &AwsResources) -> anyhow::Result<Assembly> {
    let environment = aws_environment().await;
    let store = Dynamo::from_config(environment, &resources.table);
    let blobs = S3Blobs::from_config(environment, &resources.bucket);
    let bus = EventBridgeBus::from_config(environment, &resources.event_bus);
    if resources.create_resources {
        store.create_table_if_missing().await?;
        blobs.create_bucket_if_missing().await?;
        bus.create_if_missing().await?;
    }
    let queue = match &resources.queue {
        Queue::Url(url) => SqsQueue::from_config(environment, url),
        Queue::Name(name) => SqsQueue::named(environment, name, resources.create_resources).await?,
    };
    Ok(Assembly {
        store: Arc::new(store),
        blobs: Arc::new(blobs),
        delivery: Delivery::Queue(Arc::new(queue)),
        events: Arc::new(bus),
    })
}
