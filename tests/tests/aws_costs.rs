//! What each use case asks of DynamoDB: counted on the wire (moto), so a change that adds a
//! request to a hot path fails here.

use lapor_aws::Meter;
use lapor_tests::{World, report, spawn_metered_aws_app};
use serde_json::json;

#[tokio::test]
async fn each_use_case_makes_the_fewest_requests() {
    let meter = Meter::default();
    let w = World::on(spawn_metered_aws_app(&meter).await).await;
    let requests = |meter: &Meter| {
        let readings = meter.take();
        readings
            .requests
            .iter()
            .map(|(op, n)| format!("{op}×{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    meter.take();

    let submitted = w.app.submit(Some(&w.reporter), report(json!({}))).await;
    let t = submitted["tracking_id"].as_str().unwrap();
    assert_eq!(
        requests(&meter),
        "TransactWriteItems×1",
        "submit: one write"
    );

    let verify = json!({"decision": "verify", "dispose_to": w.a1});
    w.app
        .act(t, "verification", &w.national, verify)
        .await
        .expect(200);
    assert_eq!(
        requests(&meter),
        "GetItem×1 Query×1 TransactWriteItems×1",
        "an action naming an agency: that agency, the report, one write"
    );

    let follow_up = json!({"body": "Sedang kami tangani."});
    w.app
        .act(t, "follow-ups", &w.liaison_a1, follow_up)
        .await
        .expect(200);
    assert_eq!(
        requests(&meter),
        "Query×1 TransactWriteItems×1",
        "an action: one read, one write"
    );

    w.app.report(t, Some(&w.reporter)).await.expect(200);
    assert_eq!(requests(&meter), "Query×1", "a report page: one read");

    let feed = w.app.get("/v1/reports?limit=10", None).await.expect(200);
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);
    assert_eq!(requests(&meter), "Query×1", "a feed page: one query");

    w.app
        .get("/v1/inbox?box=in_progress", Some(&w.liaison_a1))
        .await
        .expect(200);
    assert_eq!(
        requests(&meter),
        "Query×4",
        "a work-list page: one query, and one count per box with deadlines"
    );
}
