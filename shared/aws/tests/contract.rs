//! The store contract on DynamoDB (a moto server), each check on a fresh table.

use lapor_aws::testing::fresh_table;

lapor_app::store_contract!(fresh_table);
