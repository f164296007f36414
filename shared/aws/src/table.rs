//! Creating the table, its indexes and its time to live when they are missing (for emulators and
//! first runs; in AWS the SAM template creates them).

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TableStatus, TimeToLiveSpecification,
};

use crate::Dynamo;
use crate::error::{CreateError, not_created};

/// The name of the overloaded list index.
pub(crate) const LIST_INDEX: &str = "list";

/// The name of the index of running deadlines, projected to what counting reads.
pub(crate) const DUE_INDEX: &str = "due";

/// The attribute DynamoDB expires items by.
pub(crate) const EXPIRES: &str = "expires";

impl Dynamo {
    /// Creates the table with its indexes and time to live, unless it exists.
    pub async fn create_table_if_missing(&self) -> Result<(), CreateError> {
        let key = |name: &str, kind: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
                .map_err(not_created)
        };
        let string = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(not_created)
        };
        let list = GlobalSecondaryIndex::builder()
            .index_name(LIST_INDEX)
            .key_schema(key("gpk", KeyType::Hash)?)
            .key_schema(key("gsk", KeyType::Range)?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build()
            .map_err(not_created)?;
        let due = GlobalSecondaryIndex::builder()
            .index_name(DUE_INDEX)
            .key_schema(key("dpk", KeyType::Hash)?)
            .key_schema(key("dsk", KeyType::Range)?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::Include)
                    .non_key_attributes("due")
                    .non_key_attributes("late")
                    .build(),
            )
            .build()
            .map_err(not_created)?;
        let created = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .key_schema(key("pk", KeyType::Hash)?)
            .key_schema(key("sk", KeyType::Range)?)
            .attribute_definitions(string("pk")?)
            .attribute_definitions(string("sk")?)
            .attribute_definitions(string("gpk")?)
            .attribute_definitions(string("gsk")?)
            .attribute_definitions(string("dpk")?)
            .attribute_definitions(string("dsk")?)
            .global_secondary_indexes(list)
            .global_secondary_indexes(due)
            .send()
            .await;
        match created {
            Ok(_) => {}
            Err(e) if e.code() == Some("ResourceInUseException") => return Ok(()),
            Err(e) => return Err(not_created(e)),
        }
        self.wait_until_active().await?;
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name(EXPIRES)
                    .build()
                    .map_err(not_created)?,
            )
            .send()
            .await
            .map_err(not_created)?;
        tracing::info!(table = %self.table, "created the DynamoDB table");
        Ok(())
    }

    /// A new table takes a moment before it accepts its time to live and writes.
    async fn wait_until_active(&self) -> Result<(), CreateError> {
        for _ in 0..120 {
            let described = self
                .client
                .describe_table()
                .table_name(&self.table)
                .send()
                .await
                .map_err(not_created)?;
            let status = described.table().and_then(|t| t.table_status());
            if status == Some(&TableStatus::Active) {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        Err(CreateError(
            "the table did not become active within a minute".into(),
        ))
    }
}
