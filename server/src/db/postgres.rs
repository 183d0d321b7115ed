//! The scale-out backend: PostgreSQL through a small pool of blocking clients. Many `gocua serve`
//! processes can share one database behind a load balancer; nothing is kept in process memory
//! that another process would need.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::Mutex;

use bytes::BytesMut;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::migrate::{migrate, RebuildDerived};
use super::{numbered_placeholders, DbError, DbResult, Row, Sql, Value};

const MAX_IDLE: usize = 8;

struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

pub struct PgDb {
    url: String,
    idle: Mutex<Vec<Conn>>,
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT2 => (*v as i16).to_sql(ty, out),
                Type::INT4 => (*v as i32).to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Real(v) => match *ty {
                Type::FLOAT4 => (*v as f32).to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn read_value(row: &postgres::Row, i: usize) -> DbResult<Value> {
    let ty = row.columns()[i].type_().clone();
    Ok(match ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)?
            .map_or(Value::Null, Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map_or(Value::Null, |v| Value::Int(v.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)?
            .map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map_or(Value::Null, |v| Value::Real(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
            .try_get::<_, Option<String>>(i)?
            .map_or(Value::Null, Value::Text),
        other => {
            return Err(DbError::Corrupt(format!(
                "column type {other} is not used by gocua; cast it in the query"
            )))
        }
    })
}

struct Tx<'a> {
    tx: postgres::Transaction<'a>,
    statements: &'a mut HashMap<String, Statement>,
}

impl Tx<'_> {
    fn statement(&mut self, sql: &str) -> DbResult<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.tx.prepare(&numbered_placeholders(sql))?;
        self.statements.insert(sql.to_owned(), prepared.clone());
        Ok(prepared)
    }
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Sql for Tx<'_> {
    fn exec(&mut self, sql: &str, params: &[Value]) -> DbResult<u64> {
        let stmt = self.statement(sql)?;
        if sql.contains("RETURNING") {
            return Ok(self.tx.query(&stmt, &refs(params))?.len() as u64);
        }
        Ok(self.tx.execute(&stmt, &refs(params))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> DbResult<Vec<Row>> {
        let stmt = self.statement(sql)?;
        let rows = self.tx.query(&stmt, &refs(params))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| read_value(r, i))
                    .collect::<DbResult<Vec<_>>>()
                    .map(Row)
            })
            .collect()
    }
}

impl PgDb {
    pub fn open(url: &str, rebuild_derived: RebuildDerived) -> DbResult<PgDb> {
        let db = PgDb {
            url: url.to_owned(),
            idle: Mutex::new(Vec::new()),
        };
        let mut conn = db.connect()?;
        {
            let tx = conn.client.transaction()?;
            let mut wrapped = Tx {
                tx,
                statements: &mut conn.statements,
            };
            // Serialise migrations between processes starting at once.
            wrapped
                .tx
                .execute("SELECT pg_advisory_xact_lock(7240001)", &[])?;
            let has_schema_meta: bool = wrapped
                .tx
                .query_one(
                    "SELECT count(*) > 0 FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_name = 'schema_meta'",
                    &[],
                )?
                .get(0);
            migrate(&mut wrapped, has_schema_meta, rebuild_derived)?;
            wrapped.tx.commit()?;
        }
        db.release(conn);
        Ok(db)
    }

    fn connect(&self) -> DbResult<Conn> {
        Ok(Conn {
            client: Client::connect(&self.url, NoTls)?,
            statements: HashMap::new(),
        })
    }

    fn take(&self) -> DbResult<Conn> {
        let pooled = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match pooled {
            Some(c) if !c.client.is_closed() => Ok(c),
            _ => self.connect(),
        }
    }

    fn release(&self, conn: Conn) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE && !conn.client.is_closed() {
            idle.push(conn);
        }
    }

    pub fn tx<T, E: From<DbError>>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.take().map_err(E::from)?;
        let result = {
            let tx = conn.client.transaction().map_err(|e| E::from(e.into()))?;
            let mut wrapped = Tx {
                tx,
                statements: &mut conn.statements,
            };
            match f(&mut wrapped) {
                Ok(v) => wrapped
                    .tx
                    .commit()
                    .map(|_| v)
                    .map_err(|e| E::from(e.into())),
                Err(e) => Err(e), // dropping the transaction rolls it back
            }
        };
        self.release(conn);
        result
    }
}
