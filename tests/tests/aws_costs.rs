//! What each use case asks of DynamoDB: counted on the wire (moto), so a change that adds a
//! request to a hot path fails here.

use lapor_tests::costs::measure_lifecycle;

#[tokio::test]
async fn each_use_case_makes_the_fewest_requests() {
    let lifecycle = measure_lifecycle().await;
    let requests: Vec<(&str, String)> = lifecycle
        .steps
        .iter()
        .map(|step| (step.name, step.requests()))
        .collect();
    // Each write is one transaction, then its outbox message is relayed (SQS, EventBridge) and
    // marked sent: one UpdateItem per message. A signed-in caller's account is read first (one
    // GetItem), so a deactivated account or an old role stops at once.
    let act = "GetItem×1 Query×1 TransactWriteItems×1 UpdateItem×1";
    assert_eq!(
        requests,
        [
            // A submission reads the category tree too (one item), to file the report under
            // a category in use.
            (
                "submit (citizen)",
                "GetItem×2 TransactWriteItems×1 UpdateItem×1",
            ),
            // An action naming an agency reads that agency too; this one makes two entries.
            (
                "verify and dispose (national admin)",
                "GetItem×2 Query×1 TransactWriteItems×1 UpdateItem×2"
            ),
            // One query for the page, one count per box with deadlines.
            ("work-list page (officer)", "GetItem×1 Query×4"),
            ("report page (officer)", "GetItem×1 Query×1"),
            ("follow-up (officer)", act),
            ("report page (citizen)", "GetItem×1 Query×1"),
            ("reply (citizen)", act),
            ("follow-up (officer)", act),
            ("close (officer)", act),
            ("rating (citizen)", act),
            ("public feed page (anyone)", "Query×1"),
        ]
        .map(|(name, requests)| (name, requests.to_string()))
    );
    let writes: f64 = lifecycle.steps.iter().map(|s| s.readings.write_units).sum();
    assert!(writes > 0.0, "capacity is estimated from the items written");
}
