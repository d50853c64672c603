//! `chedai gen customers --count N [--seed S]`: a large, realistic, deterministic set of
//! individual customers for benchmarks (docs/BENCHMARKS.md, scripts/bench/customers.sh).
//!
//! It opens the database as `serve` does (DATABASE_URL, or the private PostgreSQL under
//! CHEDAI_VAR_DIR; migrated), makes sure the administrator exists (like a first `serve`, demo data
//! included), adds customer managers spread over a few departments and the customer grades when
//! they are missing (through the services, audited), then writes customers with multi-row
//! INSERTs, one transaction per batch. ID numbers and mobiles are encrypted and hashed with the
//! customers crate's own [`customers::PiiKeys`] and normalised by its own parsers, under the keys
//! the server loads, so the API finds and decrypts them. The same seed gives the same people
//! (the ciphertexts differ: each encryption takes a fresh nonce); a rerun with the same seed
//! skips the ID numbers already stored.
//!
//! A sample of the generated people (`id_number,mobile,id_number_hash,mobile_hash`) is written
//! for the load test.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use customers::PiiKeys;
use customers::domain::{MobileNumber, ResidentId};
use customers::service::customers::CustomerFilter;
use customers::service::grades::{self, GradeInput, GradeScope};
use iam::Actor;
use iam::service::bootstrap::{self, AdminBootstrap};
use iam::service::departments::{self, NewDepartment};
use iam::service::users::{self, NewUser};
use kernel::{PageRequest, SystemClock};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};

use crate::config::Config;
use crate::{database, demo, secrets};

/// The associated-data field names the customers service encrypts under
/// (`customers::service::customers::{ID_FIELD, MOBILE_FIELD}`). The self-check at the end reads
/// a generated customer back through the service, so a mismatch fails the run.
pub(crate) const ID_FIELD: &str = "customers.id_number";
pub(crate) const MOBILE_FIELD: &str = "customers.mobile";

const DEPARTMENTS: [(&str, &str); 4] = [
    ("GEN-1", "车贷业务一部"),
    ("GEN-2", "车贷业务二部"),
    ("GEN-3", "车贷业务三部"),
    ("GEN-4", "车贷业务四部"),
];
const MANAGERS: usize = 16;
const MANAGER_PASSWORD: &str = "Gen-Manager-2026";
/// Customer grades and their share of customers in percent.
pub(crate) const GRADES: [(&str, &str, u64); 5] = [
    ("A", "A级（优质）", 10),
    ("B", "B级（良好）", 25),
    ("C", "C级（一般）", 35),
    ("D", "D级（关注）", 20),
    ("E", "E级（次级）", 10),
];

#[derive(Subcommand)]
pub enum GenCommand {
    /// Individual customers with valid ID numbers and mobiles, encrypted like the service does.
    Customers(CustomersArgs),
    /// Active loans, each with a repayment registered and awaiting confirmation.
    Loans(crate::gen_loans::LoansArgs),
    /// A realistic portfolio for the daily-close benchmark, written with COPY.
    Portfolio(crate::gen_portfolio::PortfolioArgs),
}

#[derive(Args)]
pub struct CustomersArgs {
    /// How many customers to write.
    #[arg(long, default_value_t = 10_000)]
    count: u64,
    /// The seed: the same seed gives the same people.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Rows per INSERT (one transaction each).
    #[arg(long, default_value_t = 5_000)]
    batch: u64,
    /// How many generated people to write to the sample file.
    #[arg(long, default_value_t = 10_000)]
    samples: u64,
    /// The sample file (default `<CHEDAI_VAR_DIR>/bench/customers-sample.csv`).
    #[arg(long)]
    sample_file: Option<PathBuf>,
}

pub async fn run(command: GenCommand) -> anyhow::Result<()> {
    match command {
        GenCommand::Customers(args) => customers(args).await,
        GenCommand::Loans(args) => crate::gen_loans::run(args).await,
        GenCommand::Portfolio(args) => crate::gen_portfolio::run(args).await,
    }
}

#[derive(FromQueryResult)]
struct IdRow {
    id: i64,
}

#[derive(FromQueryResult)]
struct ManagerRow {
    id: i64,
    department_id: Option<i64>,
}

async fn first_id(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> anyhow::Result<Option<i64>> {
    Ok(IdRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .one(db)
    .await?
    .map(|r| r.id))
}

/// What every generator starts from: the services over the opened database, the administrator
/// (made as a first `serve` makes it, demo data included when configured), the generator's
/// managers and departments, and the customer grades.
pub(crate) struct Prepared {
    pub state: api::AppState,
    pub admin: Actor,
    pub admin_id: i64,
    /// `(user id, department id)` of the generator's customer managers.
    pub managers: Vec<(i64, Option<i64>)>,
    /// The customer grade ids in the order of [`GRADES`].
    pub grades: Vec<i64>,
    pub pii: PiiKeys,
}

pub(crate) async fn prepare(
    config: &Config,
    db: &database::OpenDatabase,
) -> anyhow::Result<Prepared> {
    let pii = secrets::pii_keys(config)?;
    let state = api::AppState::new(
        db.connection.clone(),
        Arc::new(SystemClock),
        secrets::token_keys(config)?,
        api::CustomerServices {
            pii: pii.clone(),
            files: Arc::new(customers::LocalFileStore::new(config.var_dir.join("files"))),
        },
    );

    // The administrator, as a first `serve` makes it.
    let initial = config
        .admin_password
        .clone()
        .unwrap_or_else(secrets::random_password);
    if let AdminBootstrap::Created { username } =
        bootstrap::ensure_admin(&state.iam, &initial).await?
    {
        if config.admin_password.is_none() {
            println!("Created the administrator `{username}` with the one-time password {initial}");
        } else {
            println!("Created the administrator `{username}` with CHEDAI_ADMIN_PASSWORD.");
        }
        if config.demo_data {
            demo::load(&state).await.context("loading demo data")?;
        }
    }
    bootstrap::sync_admin_permissions(&state.iam).await?;
    let admin_id = first_id(
        &state.db,
        "SELECT id FROM users WHERE username = 'admin'",
        vec![],
    )
    .await?
    .context("no admin user")?;
    let admin = iam::service::auth::load_actor(&state.db, admin_id, None).await?;

    let managers = ensure_managers(&state, &admin).await?;
    let grades = ensure_grades(&state, &admin).await?;
    Ok(Prepared {
        state,
        admin,
        admin_id,
        managers,
        grades,
        pii,
    })
}

async fn customers(args: CustomersArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.batch > 0, "--batch must be positive");
    let config = Config::from_env()?;
    crate::init_tracing(&config);
    let db = database::open(&config).await?;
    let Prepared {
        state,
        admin,
        admin_id,
        managers,
        grades: grade_ids,
        pii,
    } = prepare(&config, &db).await?;

    let sample_path = args
        .sample_file
        .clone()
        .unwrap_or_else(|| config.var_dir.join("bench").join("customers-sample.csv"));
    if let Some(parent) = sample_path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut sample_out = std::io::BufWriter::new(
        std::fs::File::create(&sample_path)
            .with_context(|| format!("creating {}", sample_path.display()))?,
    );
    writeln!(sample_out, "id_number,mobile,id_number_hash,mobile_hash")?;

    println!(
        "Generating {} customers (seed {}) for {} managers in {} departments, {} rows per INSERT…",
        args.count,
        args.seed,
        managers.len(),
        DEPARTMENTS.len(),
        args.batch
    );
    let stride = (args.count / args.samples.max(1)).max(1);
    let setup = Setup {
        pii: Arc::new(pii),
        managers,
        grades: grade_ids,
        admin_id,
        stride,
        samples: args.samples,
    };
    let started = Instant::now();
    let mut insert_time = std::time::Duration::ZERO;
    let mut inserted = 0u64;
    let mut written = 0u64;
    let mut next_report = 100_000u64;
    let mut first_sample: Option<(String, String)> = None;
    // Each batch is built on a blocking thread while the one before it is being inserted; the
    // generator's state travels with the job and comes back with the batch.
    let make_next = |mut generator: Generator, setup: Arc<Setup>, start: u64| {
        let size = args.batch.min(args.count - start);
        tokio::task::spawn_blocking(move || {
            let batch = generator.batch(&setup, start, size);
            (generator, setup, batch)
        })
    };
    let generator = Generator::new(args.seed, args.count);
    let mut pending = (args.count > 0).then(|| make_next(generator, Arc::new(setup), 0));
    while let Some(handle) = pending.take() {
        let (generator, setup, batch) = handle.await?;
        written += batch.rows;
        if written < args.count {
            pending = Some(make_next(generator, setup, written));
        }
        let t = Instant::now();
        let result = state
            .db
            .execute_unprepared(&batch.sql)
            .await
            .context("inserting customers")?;
        insert_time += t.elapsed();
        inserted += result.rows_affected();
        for line in &batch.samples {
            writeln!(sample_out, "{line}")?;
        }
        if first_sample.is_none() {
            first_sample = batch.first;
        }
        if written >= next_report || written == args.count {
            let secs = started.elapsed().as_secs_f64();
            println!(
                "  {written} generated, {inserted} inserted, {:.0} rows/s",
                written as f64 / secs
            );
            next_report = written + 100_000;
        }
    }
    sample_out.flush()?;
    let total = started.elapsed().as_secs_f64();
    println!(
        "Inserted {inserted} of {written} customers in {total:.1} s: {:.0} rows/s overall \
         ({:.1} s in INSERT); {} skipped as already there.",
        written as f64 / total.max(1e-9),
        insert_time.as_secs_f64(),
        written - inserted
    );

    let t = Instant::now();
    state.db.execute_unprepared("ANALYZE customers").await?;
    println!("ANALYZE customers: {:.1} s", t.elapsed().as_secs_f64());
    println!(
        "Wrote {} sample people to {}",
        written.div_ceil(stride).min(args.samples),
        sample_path.display()
    );

    if let Some((id_number, mobile)) = first_sample {
        self_check(&state, &admin, &id_number, &mobile).await?;
    }
    drop(state);
    drop(db);
    Ok(())
}

/// Reads one generated customer back through the service by ID number and by mobile: proves the
/// search hashes and the encryption (with its field binding) match what the service expects.
async fn self_check(
    state: &api::AppState,
    admin: &Actor,
    id_number: &str,
    mobile: &str,
) -> anyhow::Result<()> {
    let page = PageRequest::new(1, 20);
    let by_id = customers::service::customers::list(
        &state.customers,
        admin,
        &CustomerFilter {
            id_number: Some(id_number.into()),
            ..CustomerFilter::default()
        },
        &page,
    )
    .await?;
    let by_mobile = customers::service::customers::list(
        &state.customers,
        admin,
        &CustomerFilter {
            mobile: Some(mobile.into()),
            ..CustomerFilter::default()
        },
        &page,
    )
    .await?;
    anyhow::ensure!(
        by_id.items.len() == 1 && !by_mobile.items.is_empty(),
        "self-check: the service does not find the generated customer"
    );
    println!(
        "Self-check: the service finds {} by ID number and mobile and decrypts them ({}, {}).",
        by_id.items[0].name,
        by_id.items[0].id_number.as_deref().unwrap_or("-"),
        by_id.items[0].mobile.as_deref().unwrap_or("-")
    );
    Ok(())
}

/// The generator's managers as `(user id, department id)`: the users `gencm01`… spread over the
/// departments `GEN-1`…, created when missing.
async fn ensure_managers(
    state: &api::AppState,
    admin: &Actor,
) -> anyhow::Result<Vec<(i64, Option<i64>)>> {
    let db = &state.db;
    let mut department_ids = Vec::new();
    for (code, name) in DEPARTMENTS {
        let id = match first_id(
            db,
            "SELECT id FROM departments WHERE code = $1",
            vec![code.into()],
        )
        .await?
        {
            Some(id) => id,
            None => {
                departments::create(
                    &state.iam,
                    admin,
                    &NewDepartment {
                        parent_id: None,
                        name: name.into(),
                        code: code.into(),
                    },
                )
                .await?
                .id
            }
        };
        department_ids.push(id);
    }
    let mut managers = Vec::new();
    for i in 0..MANAGERS {
        let username = format!("gencm{:02}", i + 1);
        let found = ManagerRow::find_by_statement(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id, department_id FROM users WHERE username = $1",
            [username.clone().into()],
        ))
        .one(db)
        .await?;
        let row = match found {
            Some(row) => row,
            None => {
                let department_id = department_ids[i % department_ids.len()];
                let user = users::create(
                    &state.iam,
                    admin,
                    &NewUser {
                        username,
                        display_name: format!(
                            "{}{}",
                            SURNAMES[(i * 7) % SURNAMES.len()],
                            GIVEN_MALE[(i * 5) % GIVEN_MALE.len()]
                        ),
                        department_id: Some(department_id),
                        role_ids: vec![],
                        initial_password: MANAGER_PASSWORD.into(),
                    },
                )
                .await?;
                ManagerRow {
                    id: user.id,
                    department_id: Some(department_id),
                }
            }
        };
        managers.push((row.id, row.department_id));
    }
    Ok(managers)
}

/// The customer grade ids in the order of [`GRADES`], created when missing.
async fn ensure_grades(state: &api::AppState, admin: &Actor) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for (i, (code, name, share)) in GRADES.into_iter().enumerate() {
        let found = first_id(
            &state.db,
            "SELECT id FROM customer_grades WHERE scope = 'customer' AND lower(code) = lower($1)",
            vec![code.into()],
        )
        .await?;
        let id = match found {
            Some(id) => id,
            None => {
                grades::create(
                    &state.customers,
                    admin,
                    &GradeInput {
                        scope: GradeScope::Customer,
                        code: code.into(),
                        name: name.into(),
                        criteria: Some(format!("生成数据：约 {share}% 的客户")),
                        sort_order: i as i32,
                        version: None,
                    },
                )
                .await?
                .id
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// What every batch needs, shared between the blocking jobs.
struct Setup {
    pii: Arc<PiiKeys>,
    managers: Vec<(i64, Option<i64>)>,
    grades: Vec<i64>,
    admin_id: i64,
    stride: u64,
    samples: u64,
}

struct Batch {
    sql: String,
    rows: u64,
    samples: Vec<String>,
    first: Option<(String, String)>,
}

/// SplitMix64: small, fast and the same on every platform and version, so a seed always gives
/// the same data.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// The random stream and the ID numbers and mobiles handed out so far (kept unique).
struct Generator {
    rng: Rng,
    ids: HashSet<u64>,
    mobiles: HashSet<u64>,
}

impl Generator {
    fn new(seed: u64, count: u64) -> Generator {
        let capacity = usize::try_from(count).unwrap_or(usize::MAX).min(20_000_000);
        Generator {
            rng: Rng(seed ^ 0xC4ED_A1C0_FFEE_2026),
            ids: HashSet::with_capacity(capacity),
            mobiles: HashSet::with_capacity(capacity),
        }
    }

    /// A resident ID number with a real region, a birth date between 1960 and 2005 and the
    /// GB 11643 check character; unique within this run.
    fn id_number(&mut self) -> (ResidentId, &'static str) {
        loop {
            let (region, place) = self.rng.pick(&REGIONS);
            // Days from 1960-01-01 to 2005-12-31.
            let day = self.rng.below(16_801) as i64;
            let (y, m, d) = civil_from_days(days_from_civil(1960, 1, 1) + day);
            let seq = self.rng.below(1000);
            let body = format!("{region}{y:04}{m:02}{d:02}{seq:03}");
            let key: u64 = body.parse().expect("17 digits");
            if !self.ids.insert(key) {
                continue;
            }
            let text = format!("{body}{}", check_char(body.as_bytes()) as char);
            let id = ResidentId::parse(&text).expect("a generated ID number is valid");
            return (id, place);
        }
    }

    fn phone(&mut self) -> String {
        let prefix = self.rng.pick(&MOBILE_PREFIXES);
        format!("{prefix}{:08}", self.rng.below(100_000_000))
    }

    /// A mobile unique within this run.
    fn mobile(&mut self) -> MobileNumber {
        loop {
            let phone = self.phone();
            if self.mobiles.insert(phone.parse().expect("digits")) {
                return MobileNumber::parse(&phone).expect("a generated mobile is valid");
            }
        }
    }

    fn name(&mut self, male: bool) -> String {
        let surname = self.rng.pick(&SURNAMES);
        let given: &[&str] = if male { &GIVEN_MALE } else { &GIVEN_FEMALE };
        let first = self.rng.pick(given);
        if self.rng.below(3) == 0 {
            format!("{surname}{first}")
        } else {
            format!("{surname}{first}{}", self.rng.pick(given))
        }
    }

    fn address(&mut self, place: &str) -> String {
        format!(
            "{place}{}{}号{}栋{}室",
            self.rng.pick(&STREETS),
            1 + self.rng.below(300),
            1 + self.rng.below(30),
            101 + self.rng.below(2400)
        )
    }

    /// Rows `start..start + size` as one multi-row INSERT.
    fn batch(&mut self, setup: &Setup, start: u64, size: u64) -> Batch {
        let mut sql = String::with_capacity(size as usize * 900 + 512);
        sql.push_str(
            "INSERT INTO customers (kind, name, id_number_cipher, id_number_hash, birth_date, sex, \
             mobile_cipher, mobile_hash, employer, monthly_income, marital_status, education, \
             addresses, contacts, grade_id, manager_id, department_id, status, created_by, \
             version, created_at, updated_at) VALUES\n",
        );
        let mut samples = Vec::new();
        let mut first = None;
        for n in start..start + size {
            let (id, place) = self.id_number();
            let mobile = self.mobile();
            let male = id.sex() == customers::domain::Sex::Male;
            let name = self.name(male);
            let id_hash = setup.pii.hash("id_number", id.as_str());
            let mobile_hash = setup.pii.hash("mobile", mobile.as_str());
            if n % setup.stride == 0 && n / setup.stride < setup.samples {
                samples.push(format!(
                    "{},{},{id_hash},{mobile_hash}",
                    id.as_str(),
                    mobile.as_str()
                ));
                if first.is_none() {
                    first = Some((id.as_str().to_string(), mobile.as_str().to_string()));
                }
            }
            let age = 2026 - id.birth_date().year();
            let married = age > 24 && self.rng.below(100) < 70;
            let marital = if married {
                "married"
            } else if age > 35 && self.rng.below(4) == 0 {
                self.rng.pick(&["divorced", "widowed"])
            } else {
                "single"
            };
            let first_relation = if married { "spouse" } else { "parent" };
            let second_male = self.rng.below(2) == 0;
            let contacts = serde_json::json!([
                {
                    "name": self.name(!male),
                    "relation": first_relation,
                    "position": null,
                    "phone": self.phone(),
                },
                {
                    "name": self.name(second_male),
                    "relation": self.rng.pick(&["sibling", "friend", "colleague", "relative", "parent"]),
                    "position": null,
                    "phone": self.phone(),
                },
            ]);
            let addresses = serde_json::json!([
                { "kind": "household", "text": self.address(place) },
                { "kind": "residence", "text": self.address(place) },
            ]);
            let employer = if self.rng.below(10) == 0 {
                "NULL".to_string()
            } else {
                quote(self.rng.pick(&EMPLOYERS))
            };
            let income = 3_000 + self.rng.below(470) * 100;
            let education = self.rng.pick(&EDUCATION);
            let roll = self.rng.below(100);
            let mut acc = 0;
            let grade = GRADES
                .iter()
                .zip(&setup.grades)
                .find(|((_, _, share), _)| {
                    acc += share;
                    roll < acc
                })
                .map(|(_, id)| *id)
                .unwrap_or(setup.grades[0]);
            let (manager, department) = self.rng.pick(&setup.managers);
            let age_secs = self.rng.below(3 * 365 * 86_400);
            if n > start {
                sql.push_str(",\n");
            }
            let _ = write!(
                sql,
                "('individual',{},{},'{id_hash}','{}',{},{},'{mobile_hash}',{employer},{income}.00,\
                 '{marital}',{},{},{},{grade},{manager},{},'active',{},1,\
                 now() - interval '{age_secs} seconds',now() - interval '{age_secs} seconds')",
                quote(&name),
                quote(&setup.pii.encrypt(ID_FIELD, id.as_str())),
                id.birth_date(),
                quote(id.sex().as_str()),
                quote(&setup.pii.encrypt(MOBILE_FIELD, mobile.as_str())),
                quote(education),
                quote(&addresses.to_string()),
                quote(&contacts.to_string()),
                department.map_or("NULL".into(), |d| d.to_string()),
                setup.admin_id,
            );
        }
        sql.push_str("\nON CONFLICT (id_number_hash) WHERE id_number_hash IS NOT NULL DO NOTHING");
        Batch {
            sql,
            rows: size,
            samples,
            first,
        }
    }
}

/// A SQL string literal.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The GB 11643 check character of the first 17 digits.
pub(crate) fn check_char(body: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

const REGIONS: [(&str, &str); 30] = [
    ("110101", "北京市东城区"),
    ("110105", "北京市朝阳区"),
    ("110108", "北京市海淀区"),
    ("120101", "天津市和平区"),
    ("130102", "河北省石家庄市长安区"),
    ("210102", "辽宁省沈阳市和平区"),
    ("220102", "吉林省长春市南关区"),
    ("230103", "黑龙江省哈尔滨市南岗区"),
    ("310101", "上海市黄浦区"),
    ("310115", "上海市浦东新区"),
    ("320102", "江苏省南京市玄武区"),
    ("320505", "江苏省苏州市虎丘区"),
    ("330106", "浙江省杭州市西湖区"),
    ("340104", "安徽省合肥市蜀山区"),
    ("350203", "福建省厦门市思明区"),
    ("360102", "江西省南昌市东湖区"),
    ("370202", "山东省青岛市市南区"),
    ("410105", "河南省郑州市金水区"),
    ("420106", "湖北省武汉市武昌区"),
    ("430104", "湖南省长沙市岳麓区"),
    ("440106", "广东省广州市天河区"),
    ("440305", "广东省深圳市南山区"),
    ("450103", "广西壮族自治区南宁市青秀区"),
    ("500103", "重庆市渝中区"),
    ("510107", "四川省成都市武侯区"),
    ("520102", "贵州省贵阳市南明区"),
    ("530102", "云南省昆明市五华区"),
    ("610113", "陕西省西安市雁塔区"),
    ("620102", "甘肃省兰州市城关区"),
    ("650102", "新疆维吾尔自治区乌鲁木齐市天山区"),
];

pub(crate) const MOBILE_PREFIXES: [&str; 32] = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "183",
    "185", "186", "187", "188", "189", "199",
];

pub(crate) const SURNAMES: [&str; 60] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁",
    "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖",
];

pub(crate) const GIVEN_MALE: [&str; 40] = [
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "阳", "建", "国",
    "志", "文", "博", "晨", "昊", "子", "轩", "峰",
];

pub(crate) const GIVEN_FEMALE: [&str; 40] = [
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "燕", "婷", "雪", "慧", "颖", "琳",
    "晶", "倩", "洁", "璐", "佳", "欣", "怡", "梅", "莉", "兰", "红", "萍", "琴", "云", "悦", "雨",
    "涵", "萱", "彤", "诗", "思", "梦", "瑶", "蕾",
];

pub(crate) const STREETS: [&str; 12] = [
    "人民路",
    "中山路",
    "解放路",
    "建设路",
    "和平路",
    "新华路",
    "长江路",
    "黄河路",
    "文化路",
    "幸福路",
    "胜利路",
    "光明路",
];

pub(crate) const EMPLOYERS: [&str; 16] = [
    "中国石化销售有限公司",
    "顺丰速运有限公司",
    "美团配送服务有限公司",
    "比亚迪汽车工业有限公司",
    "中国建筑第八工程局有限公司",
    "国家电网有限公司",
    "华为技术有限公司",
    "京东物流集团",
    "恒通运输有限公司",
    "万达商业管理集团",
    "海底捞餐饮股份有限公司",
    "个体经营",
    "中国移动通信集团",
    "平安保险集团",
    "第一人民医院",
    "市实验中学",
];

pub(crate) const EDUCATION: [&str; 8] = [
    "primary",
    "junior_high",
    "senior_high",
    "vocational",
    "associate",
    "bachelor",
    "master",
    "doctorate",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_people_are_valid_unique_and_deterministic() {
        let setup = Setup {
            pii: Arc::new(PiiKeys::for_tests()),
            managers: vec![(1, Some(2)), (3, None)],
            grades: vec![10, 11, 12, 13, 14],
            admin_id: 1,
            stride: 10,
            samples: 100,
        };
        let mut a = Generator::new(7, 200);
        let mut b = Generator::new(7, 200);
        let batch = a.batch(&setup, 0, 200);
        assert_eq!(batch.samples, b.batch(&setup, 0, 200).samples);
        assert_eq!(batch.samples.len(), 20);
        assert_eq!(a.ids.len(), 200);
        assert_eq!(a.mobiles.len(), 200);
        for line in &batch.samples {
            let fields: Vec<&str> = line.split(',').collect();
            let id = ResidentId::parse(fields[0]).unwrap();
            assert_eq!(fields[2], setup.pii.hash("id_number", id.as_str()));
            assert_eq!(fields[3], setup.pii.hash("mobile", fields[1]));
        }
        assert!(batch.sql.starts_with("INSERT INTO customers"));
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        for day in days_from_civil(1960, 1, 1)..days_from_civil(2006, 1, 1) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
    }
}
