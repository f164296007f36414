//! `/v1/categories`: the category tree reports are filed under.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lapor_domain::category::{Categories, CategoryCode, CategoryNode};
use lapor_domain::fields::Category;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::SignedInCaller;
use crate::input::{Fields, JsonBody, PathSegment};
use crate::openapi::{
    BodyErrors, CategoryPath, Conflict, Forbidden, NotFound, ServerErrors, TokenRequired,
};
use crate::problem::Problem;

/// The category tree.
#[derive(Serialize, ToSchema)]
pub struct CategoryTree {
    /// The top categories in code order, each with those below it.
    items: Vec<CategoryNode>,
    /// One more with each change.
    version: u64,
}

impl From<&Categories> for CategoryTree {
    fn from(tree: &Categories) -> Self {
        Self {
            items: tree.tree(),
            version: tree.version,
        }
    }
}

/// `POST /v1/categories`.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct NewCategoryBody {
    /// Below the category whose code it extends (`kesehatan.obat` sits below `kesehatan`).
    code: CategoryCode,
    /// Unique in the tree, whatever the letter case.
    name: Category,
}

/// `PATCH /v1/categories/{code}`: the fields to change, the others as they are.
#[derive(ToSchema)]
#[expect(
    dead_code,
    reason = "a schema: the handler reads the body field by field"
)]
pub struct CategoryPatchBody {
    name: Option<Category>,
    /// `false` retires it: no new report is filed under it; those filed keep its name.
    active: Option<bool>,
}

/// The categories
///
/// The tree of categories reports are filed under, retired ones included (`active: false`).
/// A report names one by code or by name, in any letter case. No token is read.
#[utoipa::path(
    get,
    path = "/v1/categories",
    operation_id = "listCategories",
    tag = "Categories",
    responses(
        (status = 200, description = "The tree.", body = CategoryTree),
        ServerErrors,
    )
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<CategoryTree>, Problem> {
    Ok(Json((&state.app.categories().await?).into()))
}

/// Add a category
///
/// National admins only. Its code places it: below the category whose code it extends by one
/// segment, which must exist.
#[utoipa::path(
    post,
    path = "/v1/categories",
    operation_id = "createCategory",
    tag = "Categories",
    request_body(content = NewCategoryBody, example = json!({
        "code": "kesehatan.obat", "name": "Obat dan Makanan"
    })),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The tree with it.", body = CategoryTree),
        (status = 401, response = TokenRequired),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    body: JsonBody,
) -> Result<(StatusCode, Json<CategoryTree>), Problem> {
    let mut f = Fields::new(&body.object);
    let code = f.text("code", true, CategoryCode::parse);
    let name = f.text("name", true, Category::parse);
    let (code, name) = f.finish((|| Some((code?, name?)))())?;
    let tree = state.app.add_category(&actor, code, name).await?;
    Ok((StatusCode::CREATED, Json((&tree).into())))
}

/// Change a category
///
/// National admins only: rename it, or retire it (`active: false`) or bring it back. Reports
/// filed under it keep its code and show its new name.
#[utoipa::path(
    patch,
    path = "/v1/categories/{code}",
    operation_id = "patchCategory",
    tag = "Categories",
    params(CategoryPath),
    request_body(content = Option<CategoryPatchBody>, example = json!({"name": "Kelautan dan Perikanan"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The tree as changed.", body = CategoryTree),
        (status = 401, response = TokenRequired),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        BodyErrors,
        ServerErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    SignedInCaller(actor): SignedInCaller,
    PathSegment(code): PathSegment,
    body: JsonBody,
) -> Result<Json<CategoryTree>, Problem> {
    let code = CategoryCode::parse(&code).map_err(|_| Problem::not_found())?;
    let mut f = Fields::new(&body.object);
    let name = f.text("name", false, Category::parse);
    let active = f.optional_boolean("active");
    f.finish(Some(()))?;
    let tree = state
        .app
        .change_category(&actor, &code, name, active)
        .await?;
    Ok(Json((&tree).into()))
}
