-- How many parcels the database holds (health check).
SELECT count(*) AS parcels FROM parcel;
